// The words of the teaching views (the state map, the predictions, the tour), in English and
// Simplified Chinese. Loaded only with those views, so the page's first load does not carry them.
// The sentences on why a segment got its answer come from narration.js (one source); these are the
// questions, the choices and the tour's chapters.

import { page } from './host.js';

const en = {
  sides: { client: 'client', server: 'server' },
  Sides: { client: 'Client', server: 'Server' },
  colon: ': ',
  gap: ' ',
  list: ', ',
  causes: {
    passive_open: 'listen',
    active_open: 'connect: send SYN',
    send: 'send: send SYN',
    rcv_syn: 'SYN received',
    rcv_syn_ack: 'SYN/ACK received: send ACK',
    rcv_ack: 'ACK of our SYN received',
    app_close: 'close: send FIN',
    rcv_fin: 'FIN received: send ACK',
    rcv_ack_of_fin: 'ACK of our FIN received',
    time_wait_expired: '2×MSL timer expired',
    time_wait_skipped: 'TIME-WAIT skipped (the what-if run)',
    rcv_rst: 'RST received',
    retries_exhausted: 'retransmissions exhausted',
    fin_wait2_timeout: 'orphaned FIN-WAIT-2 dropped (Linux)',
    data_after_close: 'data after close: RST (Linux)',
    time_wait_reused: 'pair in TIME-WAIT handed to a new connect (Linux)',
  },
  map: {
    label: 'TCP state diagram (RFC 9293 Figure 5, redrawn): each side’s current state is marked',
    node: (name) => `${name}: go to the next moment a side enters it`,
    nodeHere: (name, who) => `${name}, now: ${who}. Go to the next moment a side enters it`,
    notRfc: '(Linux behaviour, not in RFC 9293)',
    naming: 'Names',
    namings: { rfc: 'RFC 9293', ss: 'ss', netstat: 'netstat' },
    none: (name) => `No side enters ${name} in this run.`,
  },
  predict: {
    heading: 'Predict',
    reveal: 'Play on to see',
    right: 'Right.',
    wrong: (answer) => `Not quite: ${answer}.`,
    reply: (p) => `${p.seg} is about to reach the ${p.to}, now in ${p.state}. What will the ${p.to} send back?`,
    replyNoTcb: (p) => `${p.seg} is about to reach the ${p.to}, which has no connection for it any more. What will the ${p.to} send back?`,
    state: (p) => `${p.seg} is about to reach the ${p.to}, now in ${p.state}. Which state comes next for the ${p.to}?`,
    fate: (p) => `An old copy of connection ${p.from}’s data is about to reach the ${p.to}, now on connection ${p.conn}. What happens to those bytes?`,
    lost: (p) => `${p.seg} from the ${p.from} will be lost on the way. What happens next?`,
    rfc1337: (p) => `This run has RFC 1337’s fix on: the ${p.to} ignores RST in TIME-WAIT and keeps waiting its full 2×MSL.`,
    choices: {
      ack: (p) => `The ${p.to} answers with an ACK`,
      rst: (p) => `The ${p.to} answers with RST (reset)`,
      fin: (p) => `The ${p.to} sends its own FIN`,
      synack: (p) => `The ${p.to} answers with SYN/ACK`,
      data: (p) => `The ${p.to} sends data`,
      nothing: (p) => `The ${p.to} sends nothing back`,
      stay: (p) => `It stays in ${p.state}`,
      to: (p) => `It moves to ${p.next}`,
      read: (p) => `The ${p.to}’s application reads them as new data`,
      discard: (p) => `The ${p.to} throws them away`,
      resend: (p) => `The ${p.who} sends its ${p.flags} again`,
      over: () => 'Nothing more: the connection is over',
      resendLost: (p) => `The ${p.from} notices and sends the ${p.flags} again at once`,
    },
  },
  tour: {
    label: 'Guided tour',
    chapter: (n, total) => `Chapter ${n} of ${total}`,
    prev: 'Previous chapter',
    next: 'Next chapter',
    play: 'Play',
    finish: 'Finish the tour',
    leave: 'Leave the tour',
    done: 'That is the whole story. Every chapter is an ordinary run: change anything in it and look again.',
  },
};

const zh = {
  sides: { client: '客户端', server: '服务器' },
  Sides: { client: '客户端', server: '服务器' },
  colon: '：',
  gap: '',
  list: '、',
  causes: {
    passive_open: 'listen',
    active_open: 'connect：发送 SYN',
    send: 'send：发送 SYN',
    rcv_syn: '收到 SYN',
    rcv_syn_ack: '收到 SYN/ACK：发送 ACK',
    rcv_ack: '收到对己方 SYN 的 ACK',
    app_close: 'close：发送 FIN',
    rcv_fin: '收到 FIN：发送 ACK',
    rcv_ack_of_fin: '收到对己方 FIN 的 ACK',
    time_wait_expired: '2×MSL 计时器到期',
    time_wait_skipped: '跳过 TIME-WAIT（“如果”的那次运行）',
    rcv_rst: '收到 RST',
    retries_exhausted: '重传次数用尽',
    fin_wait2_timeout: '孤儿 FIN-WAIT-2 被丢弃（Linux）',
    data_after_close: '关闭后又收到数据：RST（Linux）',
    time_wait_reused: '处于 TIME-WAIT 的套接字对交给新的 connect（Linux）',
  },
  map: {
    label: 'TCP 状态图（RFC 9293 图 5，重新绘制）：标出了每一端的当前状态',
    node: (name) => `${name}：跳到下一次有一端进入它的时刻`,
    nodeHere: (name, who) => `${name}，当前：${who}。跳到下一次有一端进入它的时刻`,
    notRfc: '（Linux 的行为，RFC 9293 中没有）',
    naming: '名称',
    namings: { rfc: 'RFC 9293', ss: 'ss', netstat: 'netstat' },
    none: (name) => `这次运行中没有哪一端进入 ${name}。`,
  },
  predict: {
    heading: '猜一猜',
    reveal: '继续播放，看看结果',
    right: '答对了。',
    wrong: (answer) => `不对，实际上：${answer}。`,
    reply: (p) => `${p.seg} 即将到达${p.to}，${p.to}此刻处于 ${p.state}。${p.to}会回什么？`,
    replyNoTcb: (p) => `${p.seg} 即将到达${p.to}，而${p.to}已经没有与之对应的连接了。${p.to}会回什么？`,
    state: (p) => `${p.seg} 即将到达${p.to}，${p.to}此刻处于 ${p.state}。${p.to}接下来进入哪个状态？`,
    fate: (p) => `连接 ${p.from} 的一份旧数据副本即将到达${p.to}，而${p.to}现在用的是连接 ${p.conn}。这些字节会怎样？`,
    lost: (p) => `${p.from}发出的 ${p.seg} 将在途中丢失。接下来会发生什么？`,
    rfc1337: (p) => `这次运行打开了 RFC 1337 的修正：${p.to}在 TIME-WAIT 中忽略 RST，继续等满 2×MSL。`,
    choices: {
      ack: (p) => `${p.to}回一个 ACK`,
      rst: (p) => `${p.to}回一个 RST（重置）`,
      fin: (p) => `${p.to}发出自己的 FIN`,
      synack: (p) => `${p.to}回一个 SYN/ACK`,
      data: (p) => `${p.to}发送数据`,
      nothing: (p) => `${p.to}什么也不回`,
      stay: (p) => `仍停在 ${p.state}`,
      to: (p) => `进入 ${p.next}`,
      read: (p) => `${p.to}的应用把它们当作新数据读走`,
      discard: (p) => `${p.to}把它们丢弃`,
      resend: (p) => `${p.who}再发一次它的 ${p.flags}`,
      over: () => '什么也不会发生：连接已经结束',
      resendLost: (p) => `${p.from}发现丢失，立刻重发这个 ${p.flags}`,
    },
  },
  tour: {
    label: '导览',
    chapter: (n, total) => `第 ${n} 章，共 ${total} 章`,
    prev: '上一章',
    next: '下一章',
    play: '播放',
    finish: '结束导览',
    leave: '离开导览',
    done: '整个故事就是这样。每一章都是一次普通的运行：改动其中任何东西，再看一遍。',
  },
};

const tables = { en, 'zh-Hans': zh };

/** The table of the current language. */
export function teach() {
  return tables[page.language()] || en;
}

export { tables };
