/** The few words a renderer adds around a brief, in the brief's language (en, or zh for a zh edition). */
export interface BriefLabels {
  sources: string;
  missing: string;
  /** Discord embed field names and the plain-text heading. */
  sourcesField: string;
  notesField: string;
}

const EN: BriefLabels = { sources: 'Sources:', missing: 'Missing:', sourcesField: 'Sources', notesField: 'Notes' };
const ZH: BriefLabels = { sources: '来源：', missing: '缺失：', sourcesField: '来源', notesField: '说明' };

/** @example briefLabels('zh').sources // => '来源：' */
export function briefLabels(language: string): BriefLabels {
  return /^zh\b/iu.test(language) ? ZH : EN;
}
