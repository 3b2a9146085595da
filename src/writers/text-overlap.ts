/** Do two texts talk about the same thing: content words (crudely stemmed) and CJK pairs they share. */

const STOPWORDS = new Set(
  `the and for with has have had that this from its was were are will would said says say after amid into over than more less
  new also about their they them been being which while what when where who how not but all any can could may might
  per via its his her our your out off today yesterday according reported reports report week day year percent`.split(/\s+/),
);

/** Content words (Latin, 3+ letters) and CJK character pairs, for "do these two texts talk about the same thing". */
export function contentTokens(text: string): Set<string> {
  const out = new Set<string>();
  const lower = text.toLowerCase().replace(/['’]s\b/g, '');
  for (const m of lower.matchAll(/[a-z][a-z0-9]{2,}/g)) {
    // A crude stem so "deposits" meets "deposit" and "holders" meets "holder".
    const word = m[0].length > 4 && m[0].endsWith('s') && !m[0].endsWith('ss') ? m[0].slice(0, -1) : m[0];
    if (!STOPWORDS.has(word) && !STOPWORDS.has(m[0])) out.add(word);
  }
  for (const run of lower.matchAll(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+/g)) {
    const chars = [...run[0]];
    if (chars.length === 1) out.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return out;
}

const isCjk = (token: string) => /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(token);

/** Tokens of `a` found in `b`, counting only tokens in a script `b` is written in. */
export function overlap(a: Set<string>, b: Set<string>): { shared: number; comparable: number } {
  const bHasCjk = [...b].some(isCjk);
  const bHasLatin = [...b].some((t) => !isCjk(t));
  let shared = 0;
  let comparable = 0;
  for (const t of a) {
    if (isCjk(t) ? !bHasCjk : !bHasLatin) continue;
    comparable++;
    if (b.has(t)) shared++;
  }
  return { shared, comparable };
}
