// The words of the big-run layer, in English and Simplified Chinese: loaded with it, in the language
// the page is in (its <html lang>, which the page sets when the reader switches).

const words = {
  en: {
    zoom: 'Zoom the time axis',
    zoomIn: 'Zoom in (+)',
    zoomOut: 'Zoom out (−)',
    segments: (n) => `${n} segments`,
    bytes: (n) => `${n} bytes`,
    lost: (n) => `${n} lost`,
    retransmitted: (n) => `${n} retransmitted`,
    band: (parts) => `${parts}. Click or zoom in (+) to unfold.`,
    folded: (n) => `${n} bursts of arrows folded into bands; zoom in (+) to unfold them, or read the transcript.`,
  },
  'zh-Hans': {
    zoom: '缩放时间轴',
    zoomIn: '放大（+）',
    zoomOut: '缩小（−）',
    segments: (n) => `${n} 个报文段`,
    bytes: (n) => `${n} 字节`,
    lost: (n) => `丢失 ${n} 个`,
    retransmitted: (n) => `重传 ${n} 个`,
    band: (parts) => `${parts}。点击或放大（+）展开。`,
    folded: (n) => `${n} 束箭头折叠成了带；放大（+）即可展开，或阅读文字记录。`,
  },
};

const numbers = {};

/** The words for `key` in the page's language, numbers grouped as it writes them (65,535). */
export function w(key, n) {
  const lang = words[document.documentElement.lang] ? document.documentElement.lang : 'en';
  numbers[lang] ||= new Intl.NumberFormat(lang);
  const word = words[lang][key];
  return typeof word === 'function' ? word(typeof n === 'number' ? numbers[lang].format(n) : n) : word;
}
