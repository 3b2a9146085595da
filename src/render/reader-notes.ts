/**
 * The notes as readers see them: each once, in plain words. Briefs written before notes were
 * plain ("SEC news feed unavailable: HTTP 403 from https://...") lose the operator's detail
 * here, so no status code, URL or server message reaches a subscriber or the archive.
 */

/** Old note shapes and their plain form. */
const OLD_SHAPES: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^(.+?) unavailable: [\s\S]*$/, (m) => `${m[1]} unavailable.`],
  [/^(.+?) incomplete: [\s\S]*$/, (m) => `${m[1]} incomplete.`],
  [/^(.+?): served by the (.+?) fallback \([\s\S]*\)$/, (m) => `${m[1]}: served by the ${m[2]} fallback.`],
];

/**
 * @example readerNotes(['SEC news feed unavailable: HTTP 403 from https://www.sec.gov/...']) // ['SEC news feed unavailable.']
 */
export function readerNotes(notes: readonly string[]): string[] {
  const plain = notes.map((note) => {
    for (const [re, to] of OLD_SHAPES) {
      const m = re.exec(note);
      if (m) return to(m);
    }
    return note;
  });
  return [...new Set(plain.filter((n) => n.trim() !== ''))];
}
