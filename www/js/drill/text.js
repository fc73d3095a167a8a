// The words of the script views, in English and Simplified Chinese. Loaded only with those views, so
// the page's first load does not carry them. What they say comes from the trace: its `script` (which
// side the stack under test plays, the script's comments at their lines) and `mismatch`.

const en = {
  stack: 'Stack under test',
  peer: 'Scripted peer',
  mark: (line) => `≠ script line ${line}`,
  comment: (line, text) => `Script, line ${line}: “${text}”`,
  mismatch: (m) => (m.actual
    ? `Here the stack parts from the script (line ${m.line}): the script expects ${m.expected}, the stack ${m.segment != null ? 'sent' : 'returned'} ${m.actual}. packetdrill: ${m.message.split('\n')[0]}`
    : `Here the stack parts from the script (line ${m.line}): the script expects ${m.expected ?? 'more'}. packetdrill: ${m.message.split('\n')[0]}`),
  about: (name) => `A packetdrill script, ${name}: twlab's endpoint under the linux profile is the stack under test; the script makes its socket calls, plays its peer and says what it must send.`,
  verdict: (trace) => (trace.mismatch
    ? `The stack parts from the script at line ${trace.mismatch.line}, marked on the diagram; the run stops there.`
    : 'The stack does everything the script expects.'),
  bad: (name, e) => `${name} cannot be run: line ${e.line}, column ${e.col}: ${e.message}.`,
  pastedName: 'pasted.pkt',
  pasteTitle: 'Paste a packetdrill script',
  pasteHint: 'Socket calls on the stack under test, segments from its peer (<) and the segments it must send (>), as packetdrill reads them.',
  pasteLabel: 'Script',
  run: 'Run it',
  cancel: 'Cancel',
};

const zh = {
  stack: '被测协议栈',
  peer: '脚本中的对端',
  mark: (line) => `≠ 脚本第 ${line} 行`,
  comment: (line, text) => `脚本第 ${line} 行：“${text}”`,
  mismatch: (m) => (m.actual
    ? `协议栈在此与脚本分歧（第 ${m.line} 行）：脚本期望 ${m.expected}，协议栈${m.segment != null ? '发出的是' : '返回的是'} ${m.actual}。packetdrill：${m.message.split('\n')[0]}`
    : `协议栈在此与脚本分歧（第 ${m.line} 行）：脚本期望 ${m.expected ?? '还有后续'}。packetdrill：${m.message.split('\n')[0]}`),
  about: (name) => `packetdrill 脚本 ${name}：被测协议栈是 linux 配置下的 twlab 端点；脚本调用它的套接字接口、扮演它的对端，并规定它必须发出的报文段。`,
  verdict: (trace) => (trace.mismatch
    ? `协议栈在脚本第 ${trace.mismatch.line} 行与脚本分歧（图中已标出），运行到此为止。`
    : '协议栈的行为与脚本的期望完全一致。'),
  bad: (name, e) => `无法运行 ${name}：第 ${e.line} 行第 ${e.col} 列：${e.message}。`,
  pastedName: 'pasted.pkt',
  pasteTitle: '粘贴 packetdrill 脚本',
  pasteHint: '对被测协议栈的套接字调用、来自对端的报文段（<）以及它必须发出的报文段（>），按 packetdrill 的写法。',
  pasteLabel: '脚本',
  run: '运行',
  cancel: '取消',
};

export const words = { en, 'zh-Hans': zh };
