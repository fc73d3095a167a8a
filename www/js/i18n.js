// Every word the page shows, in English and Simplified Chinese. Plain strings, or functions of the
// parameters a narration passes in (already translated names, formatted times, quoted payloads).
// The two tables have the same keys; a missing key falls back to English.

const en = {
  lang: 'en',
  title: 'Why does TIME-WAIT last 2×MSL?',
  tagline: 'A TCP sequence diagram you can replay, step through and break.',
  scenario: 'Scenario',
  twin: 'What if TIME-WAIT were skipped?',
  twinHint: 'Shows the same run without TIME-WAIT beside it.',
  params: 'Parameters',
  profile: 'Profile',
  msl: 'MSL',
  delay: 'One-way delay',
  timeWait: 'TIME-WAIT length',
  apply: 'Apply',
  paramsHint: 'Durations like 200ms, 1.5s, 2min. TIME-WAIT: 2msl, 60s or skip.',
  profiles: {
    rfc9293: 'RFC 9293 (MSL 2 min, TIME-WAIT 4 min)',
    linux: 'Linux (TIME-WAIT 60 s)',
    lab: 'Lab (MSL 1 s, easy to watch)',
  },
  play: 'Play',
  pause: 'Pause',
  replay: 'Replay',
  stepBack: 'Step back',
  stepForward: 'Step forward',
  toStart: 'To start',
  toEnd: 'To end',
  scrubber: 'Position in the run',
  speed: 'Speed',
  stepOf: (n, total) => `step ${n} of ${total}`,
  withTimeWait: (len) => `With TIME-WAIT (${len})`,
  withoutTimeWait: 'TIME-WAIT skipped',
  thisRun: 'This run',
  changes: 'Your changes',
  changesHint: 'Click an arrow (or focus it and press Enter) to lose that segment; click again to restore it. Right-click, or Shift+Enter, to delay or duplicate it instead.',
  noChanges: 'None: every segment arrives as the scenario says.',
  presetChange: 'set by the scenario',
  resetChanges: 'Back to the scenario',
  remove: 'Remove',
  legend: 'Legend',
  legendItems: {
    segment: 'segment in flight (slope = its travel time)',
    lost: 'lost in the network',
    expired: 'expired: lived MSL',
    stale: 'from an earlier connection',
    rto: 'retransmission timer',
    tw: 'TIME-WAIT (2×MSL timer)',
    brk: 'quiet time, compressed',
  },
  fateMenu: (seg) => `What should happen to ${seg}?`,
  fateDeliver: 'Deliver it normally',
  fateDrop: 'Lose it',
  fateDelay: (d) => `Delay it by ${d}`,
  fateDuplicate: (d) => `Duplicate it (a copy ${d} later)`,
  cancel: 'Cancel',
  fates: {
    drop: 'lost',
    delay: (d) => `delayed by ${d}`,
    duplicate: (d) => `duplicated, copy ${d} later`,
  },
  ordinal: (n) => {
    const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] || 'th';
    return `${n}${s}`;
  },
  segmentName: (side, nth, conn, flags) =>
    `${side}'s ${en.ordinal(nth)} segment of connection ${conn}${flags ? ` (${flags})` : ''}`,
  notSent: 'not sent in this run',
  client: 'client',
  server: 'server',
  Client: 'Client',
  Server: 'Server',
  the: (side) => `the ${side}`,
  The: (side) => `The ${side}`,
  loading: 'Loading the simulator…',
  failed: (msg) => `The lab could not start: ${msg}`,
  crashed: (msg) => `Something went wrong inside the lab (${msg}). The simulator has been stopped; start again from the default scenario.`,
  resetDefault: 'Reset to default',
  invalid: (msg) => `Not applied: ${msg}`,
  // What is wrong with a scenario field (the core's problem kinds); values as the scenario spells them.
  problem: {
    out_of_range: (p) => `${p.value} is out of range (allowed ${p.min} to ${p.max})`,
    count: (p) => (p.count > p.max
      ? `${p.count} ${en.countWhat[p.what] || p.what} is too many (at most ${p.max})`
      : `${p.count} ${en.countWhat[p.what] || p.what} is too few (at least ${p.min})`),
    delay_not_below_msl: (p) => `${p.delay} must be shorter than MSL (${p.msl}), or every segment would expire in the network`,
    rto_min_above_max: (p) => `${p.rto_min} is above rto_max (${p.rto_max})`,
    only_server_listens: () => 'only the server listens',
    only_client_connects: () => 'only the client connects',
    server_must_listen: () => "the server's script must listen on a port",
    fate_twice: () => 'this segment already has a fate',
    parse: (p) => p.detail,
  },
  countWhat: { steps: 'steps', overrides: 'overrides', connections: 'connections', pairs: 'pairs', bytes: 'bytes', 'bytes sent': 'bytes sent' },
  stopped: {
    events: (limit) => `more than ${limit} events; the diagram shows the run up to there`,
    time: (limit) => `virtual time passed ${limit}; the diagram shows the run up to there`,
  },
  transcript: 'Transcript',
  transcriptHint: 'Every event of the run as text, in the order of the diagram. The current step is marked.',
  transcriptCols: { step: 'Step', time: 'Time', who: 'Who', what: 'What happened' },
  announce: (n, total, time, who, text) => `Step ${n} of ${total}, ${time}, ${who}: ${text}`,
  share: 'Share and export',
  copyLink: 'Copy link',
  linkCopied: 'Copied: this link opens this diagram at this step.',
  linkSelected: 'Selected: press Ctrl+C (⌘C) to copy the link.',
  linkLabel: 'Link to this diagram and step',
  embed: 'Embed',
  embedElement: 'Any HTML page: one script and a tag',
  embedIframe: 'Markdown sites and anywhere scripts are not allowed: an iframe',
  exportAs: 'Download',
  exports: {
    svg: 'Diagram (SVG)',
    png: 'Diagram (PNG)',
    json: 'Trace (JSON)',
    text: 'Trace (text)',
    pcap: 'Capture (pcap)',
  },
  openFull: 'Open in twlab',
  openCapture: 'Open a capture…',
  captureHint: 'or drop a pcap or pcapng file (tcpdump, tshark, Wireshark) anywhere on the page',
  captureAbout: (file, pair, n) => `A real capture, ${file}: ${pair}, ${n} segments. Drawn as recorded; each side's states are inferred from the segments, lost segments from what followed them, and TIME-WAIT is taken to last 60 s as on Linux.`,
  badCapture: (file, why) => `${file} could not be drawn: ${why}.`,
  captureErrors: {
    not_a_capture: 'it is not a capture file (pcap or pcapng)',
    truncated: 'the file is cut short before its first packet',
    unsupported_link: 'its link type is not supported (Ethernet, raw IP, Linux cooked and loopback are)',
    no_tcp: 'it holds no TCP segment over IPv4',
  },
  badLink: (words, message) => `This link could not be opened: ${message}. Here is the first scenario instead.`,
  linkRefused: (why) => `This link could not be opened: ${why}. Here is the first scenario instead.`,
  linkErrors: {
    too_long: 'it is too long',
    malformed: 'it is garbled',
    truncated: 'it is cut off; perhaps only part of it was copied',
    future_version: 'it was made by a newer twlab',
    unknown_preset: 'there is no such scenario',
    too_many_overrides: 'it changes too many segments',
    out_of_range: 'a value is out of range',
  },
  ms: 'ms',
  s: 's',
  min: 'min',
  us: 'µs',
  compressed: (d) => `${d} compressed`,
  connection: (n) => `connection ${n}`,
  samePorts: 'same ports as before',
  // Short marks beside the lifelines.
  app: {
    connect: (port) => `connect() from :${port}`,
    listen: (port) => `listen(:${port})`,
    send: (text) => `send ${text}`,
    send_bytes: (text) => `send ${text}`,
    close: 'close()',
    shutdown: 'shutdown(WR)',
    connected: 'connected',
    read: (text) => `read ${text}`,
    readStale: (text, conn) => `STALE (conn ${conn}): read ${text}`,
    eof: 'EOF',
    closed: 'close done',
    reset: 'reset!',
    timed_out: 'timed out!',
    connect_waiting: 'connect() waits for TIME-WAIT',
    call_failed: (call, error) => `${call}() failed: ${error}`,
  },
  bytes: (n) => `${n} byte${n === 1 ? '' : 's'}`,
  lost: 'lost',
  expired: 'expired (MSL)',
  copy: 'copy',
  retransmission: 'retransmission',
  staleMark: (conn) => `stale, from conn ${conn}`,
  noConnection: 'no connection',
  rto: 'RTO',
  tw: '2×MSL',
  twRestart: '↻ 2×MSL',
  delayedAck: 'delayed ACK',
  finWait2: 'FIN-WAIT-2 time-out',
  outcomeLabel: 'Outcome',
  outcome: {
    closed_cleanly: () => 'Closed cleanly: both applications saw a normal close.',
    reset: (p) => `Connection reset: ${p.the}'s application saw an error instead of a clean close (connection ${p.conn}).`,
    timed_out: (p) => `Timed out: ${p.the} gave up after its retransmissions (connection ${p.conn}).`,
    stale_data: (p) => `Stale data delivered: ${p.the}'s application read ${p.text}, sent on connection ${p.from}, as if it were connection ${p.conn}'s.`,
    time_wait_assassinated: (p) => `TIME-WAIT assassinated: a RST cut ${p.the}'s TIME-WAIT short (RFC 1337).`,
    unfinished: () => 'Unfinished: a connection was still open when the run ended.',
  },
  stoppedEarly: (why) => `The run was stopped early: ${why}.`,
  start: 'Press play, or step through the run event by event.',
  at: (time, who) => `${time} · ${who}`,
  twinSays: (text) => `Without TIME-WAIT: ${text}`,
  twinOver: (time, outcome) => `Without TIME-WAIT the run was over at ${time}. ${outcome}`,
  twinSame: 'Without TIME-WAIT: the same so far.',
  why: 'Why',
  presets: {
    'normal-close': ['Normal close', 'Handshake, a request and a reply, then the client closes first: it waits 2×MSL in TIME-WAIT before CLOSED.'],
    'last-ack-lost': ['Last ACK lost', 'The client\'s last ACK is lost. The server retransmits its FIN: in TIME-WAIT the client ACKs it again; without TIME-WAIT it answers with RST.'],
    'old-duplicate': ['Old duplicate', 'A copy of connection 1\'s data lingers in the network. The client reconnects from the same port: without TIME-WAIT the server reads the old words as new data.'],
    'simultaneous-close': ['Simultaneous close', 'Both applications close at the same moment: the FINs cross, both sides pass through CLOSING, and both end in TIME-WAIT.'],
    'three-way-close': ['Three-way close', 'The server\'s FIN rides on its ACK: three segments. The last ACK is lost, and until the retransmitted FIN is answered the server cannot know its FIN arrived.'],
    'syn-in-time-wait': ['SYN in TIME-WAIT', 'The server closes first and holds TIME-WAIT. The client reconnects from the same port with a higher sequence number, so the server reopens the pair straight from TIME-WAIT.'],
    'time-wait-assassination': ['TIME-WAIT assassination', 'An old copy of the server\'s reply reaches the client in TIME-WAIT; the client\'s ACK draws a RST, and the RST kills TIME-WAIT early (RFC 1337).'],
    'half-close': ['Half-close', 'The client shuts down only its sending half; the server keeps sending on the half-open connection, then closes.'],
    'data-lost': ['Data lost', 'The client\'s request is lost; the retransmission timer fires and it is sent again (RFC 6298).'],
    'syn-in-time-wait-old-isn': ['SYN in TIME-WAIT, older ISN', 'The new SYN\'s sequence number is below the old connection\'s: TIME-WAIT may not reopen (RFC 9293 §3.6.1). It ACKs the SYN, the client resets that ACK, the RST ends TIME-WAIT, and the retried SYN gets in.'],
    'syn-in-time-wait-timestamps': ['SYN in TIME-WAIT, timestamps', 'The same older ISN with TCP timestamps: the SYN\'s timestamp is newer, so the server reopens straight from TIME-WAIT (RFC 6191).'],
    'time-wait-assassination-rfc1337': ['RFC 1337 fix', 'The same stray RST reaches the client in TIME-WAIT, but it ignores RST there (RFC 1337) and waits its full 2×MSL.'],
    'timestamps-paws': ['Timestamps and PAWS', 'Old duplicate with TCP timestamps: even without TIME-WAIT the stale copy is dropped, because its timestamp is older than the new connection\'s (PAWS, RFC 7323). Why Linux\'s tcp_tw_reuse is safe.'],
  },
};

// Narration: one sentence for what happened, and for the key moments a second one for why.
// p.who / p.Who: "the client" / "The client"; p.peer: the other side; p.seg: "FIN/ACK (seq 7, ack 7)".
en.n = {
  call_connect: (p) => `${p.Who}'s application calls connect() from port ${p.port}: it opens a connection to the server.`,
  call_listen: (p) => `${p.Who}'s application listens on port ${p.port} (a passive open).`,
  call_send: (p) => `${p.Who}'s application sends ${p.text}.`,
  call_send_bytes: (p) => `${p.Who}'s application sends ${p.text}.`,
  call_close: (p) => `${p.Who}'s application calls close(): it has nothing more to send.`,
  call_close_first: (p) => `${p.Who}'s application calls close() first.`,
  why_close_first: (p) => `Closing first makes ${p.who} the active closer: it is the side that will wait in TIME-WAIT at the end.`,
  call_shutdown: (p) => `${p.Who}'s application shuts down its sending half: a FIN goes out, but it keeps reading.`,
  call_failed: (p) => `${p.Who}'s ${p.call}() fails: ${p.error}.`,
  connect_waiting: (p) => `${p.Who} wants to connect from port ${p.port} again, but that socket pair is still in TIME-WAIT.`,
  why_connect_waiting: () => 'The pair cannot be reused until TIME-WAIT ends: by then every segment of the old connection has expired. The connect waits.',
  connected: (p) => `${p.Who}'s application learns that the connection is open.`,
  read: (p) => `${p.Who}'s application reads ${p.text}.`,
  read_stale: (p) => `${p.Who}'s application reads ${p.text}, but those bytes were sent on connection ${p.from}!`,
  why_read_stale: (p) => `To the application they look like connection ${p.conn}'s data. Nothing in TCP can tell them apart: same ports, and a sequence number that fits.`,
  eof: (p) => `${p.Who}'s application reads end-of-stream: ${p.peer} will send no more.`,
  closed: (p) => `${p.Who}'s close() completes: both directions are shut cleanly.`,
  reset: (p) => `${p.Who}'s application gets "connection reset": the connection ended in an error instead of a clean close.`,
  timed_out: (p) => `${p.Who}'s application gets "connection timed out".`,

  send: (p) => `${p.Who} sends ${p.seg}.`,
  send_retransmission: (p) => `${p.Who} retransmits ${p.seg}: no ACK came back in time.`,
  send_fin_retransmission: (p) => `${p.Who} retransmits its FIN: the ACK it waits for in LAST-ACK never came.`,
  why_fin_retransmission: (p) => `${p.Who} cannot know whether its FIN or the ACK of it was lost, so it sends the FIN again and waits for an ACK.`,
  send_reack: (p) => `In TIME-WAIT ${p.who} still knows the connection: it answers the retransmitted FIN with another ACK.`,
  why_reack: () => 'This is the first reason for TIME-WAIT: the last ACK can be lost, and only an endpoint that still remembers the connection can answer the repeated FIN properly (RFC 9293 §3.10.7.4).',
  send_rst: (p) => `${p.Who} has no connection this segment belongs to, so it answers with ${p.seg}.`,
  why_rst_no_tw: (p) => `Without TIME-WAIT ${p.who} has already forgotten the connection: the retransmitted FIN finds nothing, and a segment for no connection is answered with RST (RFC 9293 §3.10.7.1).`,
  send_tw_ack: (p) => `In TIME-WAIT ${p.who} answers the old segment with an ACK of what it expects.`,
  why_tw_ack: (p) => `${p.Peer} has already closed and knows nothing of this connection: it will answer that ACK with a RST.`,
  fate_drop: () => 'The network will lose it.',
  fate_delay: (p) => `The network will hold it up an extra ${p.extra}.`,
  fate_duplicate: (p) => `The network will also deliver a copy ${p.extra} later: an "old duplicate".`,
  deliver: (p) => `${p.seg} reaches ${p.who}.`,
  deliver_copy: (p) => `A delayed copy of ${p.seg} reaches ${p.who}.`,
  deliver_orphan: (p) => `${p.seg} reaches ${p.who}, which has no connection for it.`,
  deliver_stale: (p) => `A delayed copy of ${p.seg} from connection ${p.from} reaches ${p.who}, and connection ${p.conn} accepts it!`,
  why_deliver_stale: (p) => `Connection ${p.conn} uses the same ports, and the old segment's sequence number falls inside its receive window, so TCP takes it for new data. With TIME-WAIT, this copy would have expired in the network before the ports could be reused.`,
  deliver_in_tw: (p) => `${p.seg} reaches ${p.who} in TIME-WAIT.`,
  drop: (p) => `${p.seg} is lost in the network.`,
  drop_last_ack: (p) => `The last ACK, ${p.seg}, is lost in the network.`,
  why_drop_last_ack: (p) => `${p.Peer} will never see it: it stays in LAST-ACK and, when its timer runs out, sends its FIN again.`,
  expire: (p) => `${p.seg} has been in the network for MSL (${p.msl}) and is discarded.`,
  why_expire: () => 'No segment may outlive MSL. That is what makes 2×MSL enough: after it, no segment of the old connection, in either direction, can still arrive.',

  timer_armed_retransmit: (p) => `${p.Who} starts its retransmission timer: if nothing is acknowledged by ${p.expires}, it sends again.`,
  timer_armed_time_wait: (p) => `${p.Who} starts the 2×MSL timer (${p.length}): it stays in TIME-WAIT until ${p.expires}.`,
  timer_armed_time_wait_restart: (p) => `${p.Who} restarts its 2×MSL timer: TIME-WAIT now lasts until ${p.expires}.`,
  why_tw_restart: () => 'A retransmitted FIN means the last ACK was lost. After ACKing it again, the endpoint waits a full 2×MSL once more, in case that ACK is lost too (RFC 9293 §3.10.7.4).',
  timer_armed_delayed_ack: (p) => `${p.Who} holds its ACK back a little (a delayed ACK), hoping to send it together with data.`,
  timer_cancelled_retransmit: (p) => `What ${p.who} sent is acknowledged: its retransmission timer stops.`,
  timer_cancelled_time_wait: (p) => `${p.Who}'s 2×MSL timer stops.`,
  timer_cancelled_delayed_ack: (p) => `${p.Who} sends its ACK now: the delayed-ACK timer stops.`,
  timer_cancelled_gone: (p) => `The connection is gone, so ${p.who}'s timers stop.`,
  timer_fired_retransmit: (p) => `${p.Who}'s retransmission timer fires: no ACK came in time.`,
  timer_fired_time_wait: (p) => `${p.Who}'s 2×MSL timer fires.`,
  timer_fired_delayed_ack: (p) => `${p.Who}'s delayed-ACK timer fires: the ACK goes out.`,
  timer_armed_fin_wait_2: (p) => `${p.Who}'s application has closed the socket: Linux keeps it in FIN-WAIT-2 only until ${p.expires} (tcp_fin_timeout).`,
  timer_cancelled_fin_wait_2: (p) => `${p.Who}'s FIN-WAIT-2 time-out stops.`,
  timer_fired_fin_wait_2: (p) => `${p.Who}'s FIN-WAIT-2 time-out fires: the peer's FIN never came.`,

  state: (p) => `${p.Who}: ${p.from} → ${p.to}.`,
  state_active_open: (p) => `${p.Who} sends a SYN and waits for the answer: ${p.from} → ${p.to}.`,
  state_passive_open: (p) => `${p.Who} waits for connections: ${p.from} → ${p.to}.`,
  state_rcv_syn: (p) => `A SYN arrived: ${p.who} answers SYN/ACK and waits for the handshake's last ACK (${p.to}).`,
  state_rcv_syn_tw: (p) => `A new SYN reaches the pair ${p.who} holds in TIME-WAIT. Its sequence number is above anything the old connection used, so TIME-WAIT ends early: ${p.from} → ${p.to}.`,
  why_rcv_syn_tw: () => 'RFC 9293 §3.6.1 and RFC 1122 §4.2.2.13 allow this: a clearly newer SYN cannot be mistaken for an old duplicate, so the new connection can start at once.',
  state_rcv_syn_ack: (p) => `The SYN/ACK arrived: ${p.who} is ${p.to}.`,
  state_rcv_ack: (p) => `The ACK of its SYN arrived: ${p.who} is ${p.to} too.`,
  state_app_close: (p) => `${p.Who} sends its FIN: ${p.from} → ${p.to}.`,
  state_app_close_fw1: (p) => `${p.Who} sends FIN and waits for it to be acknowledged: ${p.from} → ${p.to}.`,
  state_app_close_lastack: (p) => `${p.Who} sends its own FIN and waits in ${p.to} for the final ACK.`,
  state_rcv_fin: (p) => `${p.Peer}'s FIN arrived: ${p.from} → ${p.to}.`,
  state_rcv_fin_closewait: (p) => `${p.Peer}'s FIN arrived: no more data will come. ${p.Who} ACKs it and stays in ${p.to} until its own application closes.`,
  state_rcv_fin_closing: (p) => `The FINs crossed: ${p.who} got ${p.peer}'s FIN before the ACK of its own: ${p.from} → ${p.to}.`,
  state_enter_tw: (p) => `${p.Peer}'s FIN arrived and is ACKed. ${p.Who} enters TIME-WAIT for 2×MSL (${p.length}).`,
  why_enter_tw: () => 'Two reasons to wait: its last ACK may be lost, and then the retransmitted FIN must get an ACK, not a RST; and every segment of this connection still in the network must die out before the same ports can carry a new connection.',
  state_enter_tw_skip: (p) => `${p.Peer}'s FIN arrived. ${p.Who} would enter TIME-WAIT here.`,
  state_rcv_ack_of_fin: (p) => `Its FIN is acknowledged: ${p.from} → ${p.to}.`,
  state_rcv_ack_of_fin_fw2: (p) => `Its FIN is acknowledged: ${p.who}'s sending half is closed, and it waits for ${p.peer}'s FIN (${p.to}).`,
  state_rcv_ack_of_fin_closed: (p) => `The final ACK arrived: ${p.who} knows both FINs got through, and closes. No TIME-WAIT here: that is the active closer's job.`,
  state_time_wait_expired: (p) => `2×MSL has passed: ${p.who} forgets the connection (${p.to}).`,
  why_tw_expired: () => 'By now every segment of the connection has expired in the network, so the same socket pair can safely be used again.',
  state_time_wait_skipped: (p) => `TIME-WAIT is skipped: ${p.who} forgets the connection at once (${p.to}).`,
  why_tw_skipped: () => 'This is the "what if" run. A retransmitted FIN will now find no connection, and a delayed segment could be taken for part of a new connection on the same ports.',
  state_rcv_rst: (p) => `A RST arrived: ${p.who} aborts the connection (${p.from} → ${p.to}).`,
  state_rcv_rst_tw: (p) => `A RST arrived during TIME-WAIT and ended it early: TIME-WAIT assassination.`,
  why_rst_tw: () => 'Old segments of the connection may still be in the network, and the pair is free again. RFC 1337 suggests ignoring RST in TIME-WAIT (set rfc1337 to see it).',
  state_retries_exhausted: (p) => `${p.Who} gives up after its retransmissions: ${p.from} → ${p.to}.`,
  state_fin_wait_2_timeout: (p) => `Linux drops ${p.who}'s orphaned socket (${p.from} → ${p.to}): its FIN-WAIT-2 timed out, or there is no TIME-WAIT to keep it in. A FIN arriving now gets RST.`,
  state_data_after_close: (p) => `Data arrived after ${p.who}'s application closed: nobody can read it, so Linux answers with RST (${p.from} → ${p.to}).`,
};

const zh = {
  lang: 'zh-Hans',
  title: 'TIME-WAIT 为什么要等 2×MSL？',
  tagline: '一张可以回放、单步、动手“弄坏”的 TCP 时序图。',
  scenario: '场景',
  twin: '如果跳过 TIME-WAIT 会怎样？',
  twinHint: '在旁边并排显示不带 TIME-WAIT 的同一次运行。',
  params: '参数',
  profile: '配置',
  msl: 'MSL',
  delay: '单程时延',
  timeWait: 'TIME-WAIT 时长',
  apply: '应用',
  paramsHint: '时长写法如 200ms、1.5s、2min。TIME-WAIT 可填 2msl、60s 或 skip。',
  profiles: {
    rfc9293: 'RFC 9293（MSL 2 分钟，TIME-WAIT 4 分钟）',
    linux: 'Linux（TIME-WAIT 60 秒）',
    lab: '实验（MSL 1 秒，便于观察）',
  },
  play: '播放',
  pause: '暂停',
  replay: '重播',
  stepBack: '上一步',
  stepForward: '下一步',
  toStart: '回到开头',
  toEnd: '跳到结尾',
  scrubber: '运行进度',
  speed: '速度',
  stepOf: (n, total) => `第 ${n} / ${total} 步`,
  withTimeWait: (len) => `有 TIME-WAIT（${len}）`,
  withoutTimeWait: '跳过 TIME-WAIT',
  thisRun: '本次运行',
  changes: '你的改动',
  changesHint: '点击箭头（或用 Tab 选中后按 Enter）让这个报文段丢失，再点一次恢复。右键或 Shift+Enter 可改为延迟或复制它。',
  noChanges: '无：每个报文段都按场景设定到达。',
  presetChange: '场景自带',
  resetChanges: '恢复场景设定',
  remove: '移除',
  legend: '图例',
  legendItems: {
    segment: '传输中的报文段（斜率即传输时间）',
    lost: '在网络中丢失',
    expired: '超过 MSL，被网络丢弃',
    stale: '来自之前的连接',
    rto: '重传计时器',
    tw: 'TIME-WAIT（2×MSL 计时器）',
    brk: '空闲时间，已压缩',
  },
  fateMenu: (seg) => `让${seg}怎样？`,
  fateDeliver: '正常送达',
  fateDrop: '丢失',
  fateDelay: (d) => `延迟 ${d}`,
  fateDuplicate: (d) => `复制一份（副本晚 ${d} 到）`,
  cancel: '取消',
  fates: {
    drop: '丢失',
    delay: (d) => `延迟 ${d}`,
    duplicate: (d) => `复制，副本晚 ${d}`,
  },
  ordinal: (n) => `第 ${n} 个`,
  segmentName: (side, nth, conn, flags) =>
    `连接 ${conn} 中${side}发出的第 ${nth} 个报文段${flags ? `（${flags}）` : ''}`,
  notSent: '本次运行中未发送',
  client: '客户端',
  server: '服务器',
  Client: '客户端',
  Server: '服务器',
  the: (side) => side,
  The: (side) => side,
  loading: '正在加载模拟器…',
  failed: (msg) => `实验无法启动：${msg}`,
  crashed: (msg) => `实验内部出错了（${msg}）。模拟器已停止；请从默认场景重新开始。`,
  resetDefault: '恢复默认',
  invalid: (msg) => `未应用：${msg}`,
  problem: {
    out_of_range: (p) => `${p.value} 超出范围（允许 ${p.min} 至 ${p.max}）`,
    count: (p) => (p.count > p.max
      ? `${p.count} ${zh.countWhat[p.what] || p.what}，太多了（最多 ${p.max}）`
      : `${p.count} ${zh.countWhat[p.what] || p.what}，太少了（至少 ${p.min}）`),
    delay_not_below_msl: (p) => `${p.delay} 必须短于 MSL（${p.msl}），否则每个报文段都会在网络中过期`,
    rto_min_above_max: (p) => `${p.rto_min} 大于 rto_max（${p.rto_max}）`,
    only_server_listens: () => '只有服务器可以 listen',
    only_client_connects: () => '只有客户端可以 connect',
    server_must_listen: () => '服务器的脚本必须 listen 一个端口',
    fate_twice: () => '这个报文段已经设定了命运',
    parse: (p) => `无法读取：${p.detail}`,
  },
  countWhat: { steps: '个步骤', overrides: '个改动', connections: '个连接', pairs: '对', bytes: '字节', 'bytes sent': '字节（发送总量）' },
  stopped: {
    events: (limit) => `事件超过 ${limit} 个；图中显示到此为止的运行`,
    time: (limit) => `虚拟时间超过 ${limit}；图中显示到此为止的运行`,
  },
  transcript: '文字记录',
  transcriptHint: '以文字列出本次运行的每个事件，顺序与图一致。当前步骤已标出。',
  transcriptCols: { step: '步骤', time: '时间', who: '谁', what: '发生了什么' },
  announce: (n, total, time, who, text) => `第 ${n} / ${total} 步，${time}，${who}：${text}`,
  share: '分享与导出',
  copyLink: '复制链接',
  linkCopied: '已复制：这个链接会打开这张图的这一步。',
  linkSelected: '已选中：按 Ctrl+C（⌘C）复制链接。',
  linkLabel: '指向这张图和这一步的链接',
  embed: '嵌入',
  embedElement: '任何 HTML 页面：一个脚本加一个标签',
  embedIframe: 'Markdown 站点或不允许脚本的地方：用 iframe',
  exportAs: '下载',
  exports: {
    svg: '时序图（SVG）',
    png: '时序图（PNG）',
    json: '轨迹（JSON）',
    text: '轨迹（文本）',
    pcap: '抓包文件（pcap）',
  },
  openFull: '在 twlab 中打开',
  openCapture: '打开抓包文件…',
  captureHint: '也可以把 pcap 或 pcapng 文件（tcpdump、tshark、Wireshark）拖到页面上',
  captureAbout: (file, pair, n) => `真实抓包 ${file}：${pair}，共 ${n} 个报文段。按记录绘制；两端的状态由报文段推断，丢失的报文段由其后发生的事推断，TIME-WAIT 按 Linux 的 60 秒计。`,
  badCapture: (file, why) => `无法绘制 ${file}：${why}。`,
  captureErrors: {
    not_a_capture: '它不是抓包文件（pcap 或 pcapng）',
    truncated: '文件在第一个数据包之前就被截断了',
    unsupported_link: '不支持它的链路类型（支持以太网、原始 IP、Linux cooked 与回环）',
    no_tcp: '其中没有 IPv4 上的 TCP 报文段',
  },
  badLink: (words, message) => `无法打开这个链接：${words}（${message}）。现在显示的是第一个场景。`,
  linkRefused: (why) => `无法打开这个链接：${why}。现在显示的是第一个场景。`,
  linkErrors: {
    too_long: '链接太长',
    malformed: '链接已损坏',
    truncated: '链接被截断了，可能只复制了一部分',
    future_version: '它来自更新版本的 twlab',
    unknown_preset: '没有这个场景',
    too_many_overrides: '它修改的报文段太多',
    out_of_range: '有数值超出范围',
  },
  ms: 'ms',
  s: '秒',
  min: '分钟',
  us: 'µs',
  compressed: (d) => `已压缩 ${d}`,
  connection: (n) => `连接 ${n}`,
  samePorts: '与之前端口相同',
  app: {
    connect: (port) => `connect() 端口 ${port}`,
    listen: (port) => `listen(:${port})`,
    send: (text) => `send ${text}`,
    send_bytes: (text) => `send ${text}`,
    close: 'close()',
    shutdown: 'shutdown(WR)',
    connected: '已连接',
    read: (text) => `读到 ${text}`,
    readStale: (text, conn) => `旧数据（连接 ${conn}）：读到 ${text}`,
    eof: '读到 EOF',
    closed: '关闭完成',
    reset: '连接被重置！',
    timed_out: '连接超时！',
    connect_waiting: 'connect() 等待 TIME-WAIT 结束',
    call_failed: (call, error) => `${call}() 失败：${error}`,
  },
  bytes: (n) => `${n} 字节`,
  lost: '丢失',
  expired: '过期（MSL）',
  copy: '副本',
  retransmission: '重传',
  staleMark: (conn) => `旧报文，来自连接 ${conn}`,
  noConnection: '无此连接',
  rto: 'RTO',
  tw: '2×MSL',
  twRestart: '↻ 2×MSL',
  delayedAck: '延迟 ACK',
  finWait2: 'FIN-WAIT-2 超时',
  outcomeLabel: '结果',
  outcome: {
    closed_cleanly: () => '正常关闭：双方应用都看到了正常的关闭。',
    reset: (p) => `连接被重置：${p.the}应用看到的是错误，而不是正常关闭（连接 ${p.conn}）。`,
    timed_out: (p) => `超时：${p.the}在多次重传后放弃（连接 ${p.conn}）。`,
    stale_data: (p) => `旧数据被交付：${p.the}应用读到了 ${p.text}，它来自连接 ${p.from}，却被当成了连接 ${p.conn} 的数据。`,
    time_wait_assassinated: (p) => `TIME-WAIT 被“暗杀”：一个 RST 提前结束了${p.the}的 TIME-WAIT（RFC 1337）。`,
    unfinished: () => '未结束：运行结束时仍有连接处于打开状态。',
  },
  stoppedEarly: (why) => `运行被提前终止：${why}。`,
  start: '按播放，或逐个事件单步查看。',
  at: (time, who) => `${time} · ${who}`,
  twinSays: (text) => `跳过 TIME-WAIT 时：${text}`,
  twinOver: (time, outcome) => `跳过 TIME-WAIT 的那次运行在 ${time}就已结束。${outcome}`,
  twinSame: '跳过 TIME-WAIT 时：到目前为止完全相同。',
  why: '为什么',
  presets: {
    'normal-close': ['正常关闭', '三次握手、一次请求和响应，然后客户端先关闭：它在 TIME-WAIT 中等待 2×MSL 后才进入 CLOSED。'],
    'last-ack-lost': ['最后的 ACK 丢失', '客户端最后一个 ACK 丢了。服务器重传 FIN：处于 TIME-WAIT 的客户端会再次 ACK；没有 TIME-WAIT 时它只能回一个 RST。'],
    'old-duplicate': ['迟到的旧报文', '连接 1 的一份数据副本滞留在网络中。客户端用同一端口重新连接：没有 TIME-WAIT 时，服务器把旧内容当成新数据读了进去。'],
    'simultaneous-close': ['同时关闭', '双方应用同时关闭：两个 FIN 在途中交错，双方都经过 CLOSING，最后都进入 TIME-WAIT。'],
    'three-way-close': ['三次挥手', '服务器的 FIN 搭着 ACK 一起发出，只用三个报文段。最后的 ACK 丢了：在重传的 FIN 得到应答之前，服务器无法知道自己的 FIN 是否送达。'],
    'syn-in-time-wait': ['TIME-WAIT 中收到 SYN', '服务器先关闭并处于 TIME-WAIT。客户端用同一端口、更大的序号重新连接，服务器直接从 TIME-WAIT 重新打开这对端口。'],
    'time-wait-assassination': ['TIME-WAIT 暗杀', '服务器响应的一个旧副本在 TIME-WAIT 期间到达客户端；客户端的 ACK 招来一个 RST，这个 RST 提前终结了 TIME-WAIT（RFC 1337）。'],
    'half-close': ['半关闭', '客户端只关闭发送方向；服务器在半开的连接上继续发送，然后再关闭。'],
    'data-lost': ['数据丢失', '客户端的请求在途中丢失；重传计时器超时后再次发送（RFC 6298）。'],
    'syn-in-time-wait-old-isn': ['TIME-WAIT 中的 SYN（旧 ISN）', '新 SYN 的序号比旧连接的小：TIME-WAIT 不能重开（RFC 9293 §3.6.1）。它用 ACK 回应，客户端用 RST 回应这个 ACK，RST 结束了 TIME-WAIT，重传的 SYN 才进来。'],
    'syn-in-time-wait-timestamps': ['TIME-WAIT 中的 SYN（时间戳）', '同样较小的 ISN，但开启了 TCP 时间戳：SYN 的时间戳更新，所以服务器直接从 TIME-WAIT 重开连接（RFC 6191）。'],
    'time-wait-assassination-rfc1337': ['RFC 1337 修正', '同一个误入的 RST 在 TIME-WAIT 中到达客户端，但它在这个状态忽略 RST（RFC 1337），等满 2×MSL。'],
    'timestamps-paws': ['时间戳与 PAWS', '开启 TCP 时间戳的“旧重复报文”：即使没有 TIME-WAIT，过期的副本也会被丢弃，因为它的时间戳比新连接的旧（PAWS，RFC 7323）。这就是 Linux 的 tcp_tw_reuse 安全的原因。'],
  },
};

zh.n = {
  call_connect: (p) => `${p.Who}应用调用 connect()，从端口 ${p.port} 向服务器发起连接。`,
  call_listen: (p) => `${p.Who}应用在端口 ${p.port} 上监听（被动打开）。`,
  call_send: (p) => `${p.Who}应用发送 ${p.text}。`,
  call_send_bytes: (p) => `${p.Who}应用发送 ${p.text}。`,
  call_close: (p) => `${p.Who}应用调用 close()：它没有数据要发了。`,
  call_close_first: (p) => `${p.Who}应用率先调用 close()。`,
  why_close_first: (p) => `先关闭的一方是“主动关闭方”：最后要在 TIME-WAIT 中等待的，正是${p.who}。`,
  call_shutdown: (p) => `${p.Who}应用关闭发送方向：发出 FIN，但仍继续读取。`,
  call_failed: (p) => `${p.Who}的 ${p.call}() 失败：${p.error}。`,
  connect_waiting: (p) => `${p.Who}想再次从端口 ${p.port} 发起连接，但这对套接字仍处于 TIME-WAIT。`,
  why_connect_waiting: () => '在 TIME-WAIT 结束之前这对端口不能复用：等它结束时，旧连接的所有报文段都已在网络中过期。connect 只能等待。',
  connected: (p) => `${p.Who}应用得知连接已建立。`,
  read: (p) => `${p.Who}应用读到 ${p.text}。`,
  read_stale: (p) => `${p.Who}应用读到 ${p.text}，可这些字节是在连接 ${p.from} 上发送的！`,
  why_read_stale: (p) => `在应用看来，它们就是连接 ${p.conn} 的数据。TCP 无从分辨：端口相同，序号也恰好合适。`,
  eof: (p) => `${p.Who}应用读到流结束（EOF）：${p.peer}不会再发送数据。`,
  closed: (p) => `${p.Who}的 close() 完成：两个方向都已正常关闭。`,
  reset: (p) => `${p.Who}应用收到“connection reset”：连接以错误告终，而不是正常关闭。`,
  timed_out: (p) => `${p.Who}应用收到“connection timed out”。`,

  send: (p) => `${p.Who}发送 ${p.seg}。`,
  send_retransmission: (p) => `${p.Who}重传 ${p.seg}：没有及时收到 ACK。`,
  send_fin_retransmission: (p) => `${p.Who}重传它的 FIN：在 LAST-ACK 中等待的 ACK 一直没有来。`,
  why_fin_retransmission: (p) => `${p.Who}无法知道丢的是自己的 FIN 还是对它的 ACK，只能再发一次 FIN，继续等待 ACK。`,
  send_reack: (p) => `处于 TIME-WAIT 的${p.who}仍然记得这个连接：它再发一个 ACK 回应重传的 FIN。`,
  why_reack: () => '这就是 TIME-WAIT 的第一个理由：最后的 ACK 可能丢失，只有仍记得这个连接的一端，才能正确回应重复的 FIN（RFC 9293 §3.10.7.4）。',
  send_rst: (p) => `${p.Who}找不到这个报文段所属的连接，于是回应 ${p.seg}。`,
  why_rst_no_tw: (p) => `没有 TIME-WAIT，${p.who}早已忘了这个连接：重传的 FIN 找不到对应的连接，而发往不存在连接的报文段要用 RST 回应（RFC 9293 §3.10.7.1）。`,
  send_tw_ack: (p) => `处于 TIME-WAIT 的${p.who}用一个 ACK 回应这个旧报文段，告诉对方自己期待的序号。`,
  why_tw_ack: (p) => `${p.Peer}早已关闭，对这个连接一无所知：它会用 RST 回应这个 ACK。`,
  fate_drop: () => '网络会把它弄丢。',
  fate_delay: (p) => `网络会让它额外耽搁 ${p.extra}。`,
  fate_duplicate: (p) => `网络还会在 ${p.extra} 之后再送达一个副本：一个“旧的重复报文”。`,
  deliver: (p) => `${p.seg} 到达${p.who}。`,
  deliver_copy: (p) => `${p.seg} 的一个迟到副本到达${p.who}。`,
  deliver_orphan: (p) => `${p.seg} 到达${p.who}，但${p.who}已没有对应的连接。`,
  deliver_stale: (p) => `来自连接 ${p.from} 的 ${p.seg} 的迟到副本到达${p.who}，而连接 ${p.conn} 接受了它！`,
  why_deliver_stale: (p) => `连接 ${p.conn} 使用相同的端口，旧报文段的序号又恰好落在它的接收窗口内，于是 TCP 把它当成了新数据。若有 TIME-WAIT，这个副本在端口被复用之前早已在网络中过期。`,
  deliver_in_tw: (p) => `${p.seg} 到达处于 TIME-WAIT 的${p.who}。`,
  drop: (p) => `${p.seg} 在网络中丢失。`,
  drop_last_ack: (p) => `最后的 ACK（${p.seg}）在网络中丢失。`,
  why_drop_last_ack: (p) => `${p.Peer}永远收不到它：它停在 LAST-ACK，计时器超时后会再次发送 FIN。`,
  expire: (p) => `${p.seg} 已在网络中存活了 MSL（${p.msl}），被丢弃。`,
  why_expire: () => '任何报文段的寿命都不能超过 MSL。正因如此，等待 2×MSL 就足够了：之后旧连接两个方向上的报文段都不可能再到达。',

  timer_armed_retransmit: (p) => `${p.Who}启动重传计时器：如果到 ${p.expires}还没有被确认，就重新发送。`,
  timer_armed_time_wait: (p) => `${p.Who}启动 2×MSL 计时器（${p.length}）：它将在 TIME-WAIT 中待到 ${p.expires}。`,
  timer_armed_time_wait_restart: (p) => `${p.Who}重新启动 2×MSL 计时器：TIME-WAIT 延长到 ${p.expires}。`,
  why_tw_restart: () => '收到重传的 FIN，说明最后的 ACK 丢了。再次 ACK 之后，这一端要重新完整地等待 2×MSL，以防这个 ACK 也丢失（RFC 9293 §3.10.7.4）。',
  timer_armed_delayed_ack: (p) => `${p.Who}把 ACK 稍微压一压（延迟 ACK），希望能和数据一起发出。`,
  timer_cancelled_retransmit: (p) => `${p.Who}发出的内容已被确认：重传计时器停止。`,
  timer_cancelled_time_wait: (p) => `${p.Who}的 2×MSL 计时器停止。`,
  timer_cancelled_delayed_ack: (p) => `${p.Who}现在就发送 ACK：延迟 ACK 计时器停止。`,
  timer_cancelled_gone: (p) => `连接已经不存在了，${p.who}的计时器随之停止。`,
  timer_fired_retransmit: (p) => `${p.Who}的重传计时器超时：没有及时收到 ACK。`,
  timer_fired_time_wait: (p) => `${p.Who}的 2×MSL 计时器到期。`,
  timer_fired_delayed_ack: (p) => `${p.Who}的延迟 ACK 计时器到期：发出 ACK。`,
  timer_armed_fin_wait_2: (p) => `${p.Who}的应用已关闭套接字：Linux 只让它在 FIN-WAIT-2 中待到 ${p.expires}（tcp_fin_timeout）。`,
  timer_cancelled_fin_wait_2: (p) => `${p.Who}的 FIN-WAIT-2 超时计时器停止。`,
  timer_fired_fin_wait_2: (p) => `${p.Who}的 FIN-WAIT-2 超时：对方的 FIN 一直没来。`,

  state: (p) => `${p.Who}：${p.from} → ${p.to}。`,
  state_active_open: (p) => `${p.Who}发出 SYN 并等待应答：${p.from} → ${p.to}。`,
  state_passive_open: (p) => `${p.Who}等待连接：${p.from} → ${p.to}。`,
  state_rcv_syn: (p) => `收到 SYN：${p.who}回应 SYN/ACK，等待握手的最后一个 ACK（${p.to}）。`,
  state_rcv_syn_tw: (p) => `一个新的 SYN 到达${p.who}正处于 TIME-WAIT 的端口对。它的序号大于旧连接用过的所有序号，所以 TIME-WAIT 提前结束：${p.from} → ${p.to}。`,
  why_rcv_syn_tw: () => 'RFC 9293 §3.6.1 和 RFC 1122 §4.2.2.13 允许这样做：明显更新的 SYN 不会被误认成旧的重复报文，新连接可以立刻开始。',
  state_rcv_syn_ack: (p) => `收到 SYN/ACK：${p.who}进入 ${p.to}。`,
  state_rcv_ack: (p) => `收到对其 SYN 的 ACK：${p.who}也进入 ${p.to}。`,
  state_app_close: (p) => `${p.Who}发出 FIN：${p.from} → ${p.to}。`,
  state_app_close_fw1: (p) => `${p.Who}发出 FIN，等待对方确认：${p.from} → ${p.to}。`,
  state_app_close_lastack: (p) => `${p.Who}发出自己的 FIN，在 ${p.to} 中等待最后的 ACK。`,
  state_rcv_fin: (p) => `收到${p.peer}的 FIN：${p.from} → ${p.to}。`,
  state_rcv_fin_closewait: (p) => `收到${p.peer}的 FIN：不会再有数据过来了。${p.Who}确认它，并停在 ${p.to}，直到自己的应用关闭。`,
  state_rcv_fin_closing: (p) => `两个 FIN 交错而过：${p.who}在自己的 FIN 被确认之前就收到了${p.peer}的 FIN：${p.from} → ${p.to}。`,
  state_enter_tw: (p) => `收到${p.peer}的 FIN 并已确认。${p.Who}进入 TIME-WAIT，等待 2×MSL（${p.length}）。`,
  why_enter_tw: () => '等待有两个理由：最后的 ACK 可能丢失，那时重传的 FIN 必须得到 ACK，而不是 RST；而且这个连接仍在网络中的所有报文段，都必须在同一对端口承载新连接之前消亡。',
  state_enter_tw_skip: (p) => `收到${p.peer}的 FIN。${p.Who}本应在这里进入 TIME-WAIT。`,
  state_rcv_ack_of_fin: (p) => `它的 FIN 已被确认：${p.from} → ${p.to}。`,
  state_rcv_ack_of_fin_fw2: (p) => `它的 FIN 已被确认：${p.who}的发送方向已关闭，等待${p.peer}的 FIN（${p.to}）。`,
  state_rcv_ack_of_fin_closed: (p) => `最后的 ACK 到了：${p.who}知道双方的 FIN 都已送达，于是关闭。这里没有 TIME-WAIT：那是主动关闭方的事。`,
  state_time_wait_expired: (p) => `2×MSL 已过：${p.who}忘掉这个连接（${p.to}）。`,
  why_tw_expired: () => '此时这个连接的所有报文段都已在网络中过期，同一对套接字可以安全地再次使用。',
  state_time_wait_skipped: (p) => `跳过 TIME-WAIT：${p.who}立刻忘掉这个连接（${p.to}）。`,
  why_tw_skipped: () => '这是“如果”的那次运行。重传的 FIN 将找不到连接，而迟到的报文段可能被当成同一对端口上新连接的一部分。',
  state_rcv_rst: (p) => `收到 RST：${p.who}中止连接（${p.from} → ${p.to}）。`,
  state_rcv_rst_tw: () => '在 TIME-WAIT 期间收到 RST，TIME-WAIT 被提前结束：这就是 TIME-WAIT 暗杀。',
  why_rst_tw: () => '旧连接的报文段可能还在网络中，而端口对已经空出来了。RFC 1337 建议在 TIME-WAIT 中忽略 RST（把 rfc1337 打开即可看到）。',
  state_retries_exhausted: (p) => `${p.Who}多次重传后放弃：${p.from} → ${p.to}。`,
  state_fin_wait_2_timeout: (p) => `Linux 丢弃${p.who}的孤儿套接字（${p.from} → ${p.to}）：FIN-WAIT-2 超时，或者没有 TIME-WAIT 可以容纳它。此后到达的 FIN 会收到 RST。`,
  state_data_after_close: (p) => `${p.who}的应用关闭之后又来了数据：没人能读它，所以 Linux 回以 RST（${p.from} → ${p.to}）。`,
};

export const languages = { en, 'zh-Hans': zh };

let current = en;

/** The language to start in: a saved choice, else the browser's, else English. */
export function initialLanguage(saved, navigatorLanguages) {
  if (saved && languages[saved]) return saved;
  for (const tag of navigatorLanguages || []) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('zh')) return 'zh-Hans';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function setLanguage(code) {
  current = languages[code] || en;
  return current.lang;
}

export function language() {
  return current.lang;
}

/** The string (or the result of the template) for `key`, a dotted path like "app.close". */
export function t(key, ...args) {
  const value = lookup(current, key) ?? lookup(en, key);
  if (typeof value === 'function') return value(...args);
  return value ?? key;
}

export function has(key) {
  return lookup(current, key) !== undefined || lookup(en, key) !== undefined;
}

function lookup(table, key) {
  let v = table;
  for (const part of key.split('.')) {
    if (v == null) return undefined;
    v = v[part];
  }
  return v;
}

/**
 * What is wrong with a rejected scenario, in the current language: "params.msl: 100h is out of range
 * (allowed 1ms to 10min)". The core's errors carry `field` and `problem`; anything else shows its message.
 */
export function explainError(error) {
  const problem = error?.problem;
  if (error?.field && problem && has(`problem.${problem.kind}`)) {
    return `${error.field}${current === zh ? '：' : ': '}${t(`problem.${problem.kind}`, problem)}`;
  }
  return String(error?.message ?? error);
}

/** A duration in µs, in the largest unit that reads well: "50 ms", "1.5 s", "4 min". */
export function formatDuration(us) {
  if (us >= 60e6 && us % 60e6 === 0) return `${us / 60e6} ${t('min')}`;
  if (us >= 1e6) return `${trim(us / 1e6, 3)} ${t('s')}`;
  if (us >= 1e3) return `${trim(us / 1e3, 3)} ${t('ms')}`;
  return `${us} ${t('us')}`;
}

/** An instant in µs since the start, as seconds with millisecond precision: "0.350 s". */
export function formatTime(us) {
  return `${(us / 1e6).toFixed(us % 1000 === 0 ? 3 : 6)} ${t('s')}`;
}

function trim(x, digits) {
  return String(Number(x.toFixed(digits)));
}

/** Text a user or a scenario wrote, in quotes and shortened to `max` characters. */
export function quote(text, max = 24) {
  const chars = Array.from(text);
  const short = chars.length > max ? chars.slice(0, max - 1).join('') + '…' : text;
  return `“${short}”`;
}
