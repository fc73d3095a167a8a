// The guided tour's chapters: each opens an ordinary run by its share link (the tour drives the same
// lab) and asks the questions whose tags it lists (predict.js), in order. The text is ours, in English
// and Simplified Chinese; the facts are the trace's and the RFCs'.
//
// Why these moments: the tour asks only where guessing wrong teaches something. In the normal close,
// what each side answers to a FIN (the close is two half-closes, each acknowledged). Then the two
// reasons, each first with TIME-WAIT and then without: a lost last ACK (what happens next, and what a
// retransmitted FIN gets: an ACK in TIME-WAIT, a RST without it), and an old copy of data (refused by
// a closed port with TIME-WAIT, swallowed by the new connection without). Then what real stacks do:
// timestamps let PAWS throw the copy away, a stray RST can cut TIME-WAIT short (and RFC 1337's fix
// ignores it), and a newer SYN may reopen a pair still in TIME-WAIT.

export const CHAPTERS = [
  {
    link: 'v1/normal-close/end',
    ask: ['fin', 'fin'],
    en: {
      title: 'Four segments to say goodbye',
      text: [
        'TCP closes each direction on its own. The side that closes first, here the client, sends FIN; the server acknowledges it, finishes, and sends its own FIN; the client acknowledges that.',
        'Watch who ends where. The server is done as soon as its FIN is acknowledged. The client, the active closer, stays in TIME-WAIT for 2×MSL first. The next chapters are about why.',
      ],
    },
    'zh-Hans': {
      title: '四个报文段的告别',
      text: [
        'TCP 的两个方向各自关闭。先关闭的一方（这里是客户端）发出 FIN；服务器确认它，做完自己的事，再发出自己的 FIN；客户端再确认这个 FIN。',
        '留意两端各自停在哪里。服务器的 FIN 一被确认，它就结束了；而主动关闭的客户端还要在 TIME-WAIT 中等上 2×MSL。接下来的几章讲的就是为什么。',
      ],
    },
  },
  {
    link: 'v1/last-ack-lost/end',
    ask: ['lost-ack', 'fin-again'],
    en: {
      title: 'The last ACK goes missing',
      text: [
        'The same close, but the network loses the client’s final ACK. Nobody tells the client: a lost segment makes no sound.',
        'The server is still in LAST-ACK, waiting. What it does next, and what the client, still in TIME-WAIT, does about it, is the first reason for the wait.',
      ],
    },
    'zh-Hans': {
      title: '最后的 ACK 丢了',
      text: [
        '同样的关闭过程，只是网络弄丢了客户端最后的 ACK。没有谁会通知客户端：丢失的报文段悄无声息。',
        '服务器仍在 LAST-ACK 中等待。它接下来会做什么，仍处于 TIME-WAIT 的客户端又如何应对，正是等待的第一个理由。',
      ],
    },
  },
  {
    link: 'v1/last-ack-lost/time_wait=skip/end',
    ask: ['no-connection'],
    en: {
      title: 'Reason one: without TIME-WAIT',
      text: [
        'Now the client goes straight to CLOSED once it has sent its ACK. The ACK is lost as before, and the server sends its FIN again.',
        'This time the FIN finds no connection at all. Compare with the last chapter: the same loss, and a different ending for the server’s application.',
      ],
    },
    'zh-Hans': {
      title: '理由一：没有 TIME-WAIT 会怎样',
      text: [
        '这一次，客户端发出 ACK 后直接进入 CLOSED。ACK 照样丢失，服务器照样重发 FIN。',
        '可这个 FIN 再也找不到任何连接。对照上一章：同样的丢失，服务器的应用却得到不同的结局。',
      ],
    },
  },
  {
    link: 'v1/old-duplicate/time_wait=skip/end',
    ask: ['stale'],
    en: {
      title: 'Reason two: an old segment lingers',
      text: [
        'The client sends a sentence it regrets, closes, and soon reconnects from the same port to the same server. A copy of the old sentence is still wandering in the network, delayed but younger than MSL.',
        'TCP tells connections apart only by the two addresses and ports. Without TIME-WAIT the new connection uses the very same four, and the same starting sequence numbers here. What becomes of the old words?',
      ],
    },
    'zh-Hans': {
      title: '理由二：迟到的旧报文段',
      text: [
        '客户端发出一句说完就后悔的话，关闭连接，随即用同一个端口重新连上同一台服务器。那句话的一份副本还在网络里徘徊：迟到了，但还没超过 MSL。',
        'TCP 只凭两端的地址和端口区分连接。没有 TIME-WAIT，新连接用的正是同样的四元组，这里起始序号也一样。那句旧话会落到哪里？',
      ],
    },
  },
  {
    link: 'v1/old-duplicate/end',
    ask: ['no-connection'],
    en: {
      title: '…and with TIME-WAIT',
      text: [
        'The same story with TIME-WAIT. The client’s new connect has to wait: the pair is not free until 2×MSL have passed.',
        'Meanwhile the old copy arrives, at a server that has closed that connection. And by the time the pair is free again, nothing of the old connection can still be in the network.',
      ],
    },
    'zh-Hans': {
      title: '……有 TIME-WAIT 的时候',
      text: [
        '同一个故事，这次有 TIME-WAIT。客户端新的 connect 只能等待：2×MSL 过去之前，这对端口不能复用。',
        '这期间旧副本到了，而服务器早已关闭了那个连接。等端口对再次空出来时，旧连接的报文段已不可能还在网络中。',
      ],
    },
  },
  {
    link: 'v1/timestamps-paws/time_wait=skip/end',
    ask: ['stale'],
    en: {
      title: 'Real systems: timestamps',
      text: [
        'Real stacks cannot always wait. With TCP timestamps (RFC 7323) every segment carries a clock value that only grows.',
        'This run skips TIME-WAIT again, and the old copy again fits the new connection’s window. Look at its timestamp before you answer.',
      ],
    },
    'zh-Hans': {
      title: '真实系统：时间戳',
      text: [
        '真实的协议栈不总能等下去。启用 TCP 时间戳（RFC 7323）后，每个报文段都带着一个只增不减的时钟值。',
        '这次运行同样跳过了 TIME-WAIT，旧副本同样落在新连接的窗口内。回答之前，先看看它的时间戳。',
      ],
    },
  },
  {
    link: 'v1/time-wait-assassination/end',
    ask: ['in-tw', 'rst'],
    en: {
      title: 'A stray RST in TIME-WAIT',
      text: [
        'A late copy of the server’s reply reaches the client while it waits in TIME-WAIT. The server has long closed.',
        'Follow the chain: what the client answers, what the closed server makes of that, and what the answer does to the client’s wait. RFC 1337 calls this TIME-WAIT assassination.',
      ],
    },
    'zh-Hans': {
      title: 'TIME-WAIT 中的一个 RST',
      text: [
        '服务器回复的一份迟到副本，在客户端停留于 TIME-WAIT 时到达。服务器早已关闭。',
        '顺着链条看下去：客户端回了什么，已关闭的服务器如何回应，这个回应又对客户端的等待做了什么。RFC 1337 把这叫作 TIME-WAIT 暗杀。',
      ],
    },
  },
  {
    link: 'v1/time-wait-assassination-rfc1337/end',
    ask: ['rst'],
    en: {
      title: 'RFC 1337’s fix',
      text: [
        'The same stray RST, with the fix RFC 1337 proposes: in TIME-WAIT, ignore RST. Linux offers it as the sysctl net.ipv4.tcp_rfc1337.',
      ],
    },
    'zh-Hans': {
      title: 'RFC 1337 的修正',
      text: [
        '同样的 RST，这次用上 RFC 1337 提出的修正：在 TIME-WAIT 中忽略 RST。Linux 通过 sysctl net.ipv4.tcp_rfc1337 提供这个选项。',
      ],
    },
  },
  {
    link: 'v1/syn-in-time-wait/end',
    ask: ['syn-in-tw'],
    en: {
      title: 'A new SYN meets TIME-WAIT',
      text: [
        'Here the server closes first, so the server holds TIME-WAIT. The client reconnects from the same port before the wait is over.',
        'Its new SYN starts above anything the old connection used. Must the new connection wait?',
      ],
    },
    'zh-Hans': {
      title: '新的 SYN 遇上 TIME-WAIT',
      text: [
        '这里是服务器先关闭，所以停在 TIME-WAIT 的是服务器。客户端在等待结束前就用同一个端口重新连接。',
        '新 SYN 的序号比旧连接用过的都大。新连接非得等吗？',
      ],
    },
  },
];

/** A chapter's words in `lang` (English if it has none). */
export function chapterText(chapter, lang) {
  return chapter[lang] || chapter.en;
}
