/** The few words a renderer adds around a brief, in the brief's language (en, or zh for a zh edition). */
export interface BriefLabels {
  sources: string;
  missing: string;
}

const EN: BriefLabels = { sources: 'Sources:', missing: 'Missing:' };
const ZH: BriefLabels = { sources: '来源：', missing: '缺失：' };

/** @example briefLabels('zh').sources // => '来源：' */
export function briefLabels(language: string): BriefLabels {
  return /^zh\b/iu.test(language) ? ZH : EN;
}
