/**
 * Untrusted text (headlines, summaries, anything from outside) made safe where it enters:
 * no terminal escape sequences, no C0/C1 control characters, no bidi overrides, and a cap.
 */
import { Writable } from 'node:stream';

/** Longest title kept, in characters; longer ones are cut at a word with an ellipsis. */
export const TITLE_MAX_CHARS = 300;
/** Longest summary kept, in characters. */
export const SUMMARY_MAX_CHARS = 1000;

// ANSI/VT sequences as a whole (so no "[31m" is left behind): CSI, OSC (ended by BEL or ST),
// and the other ESC-introduced strings (DCS, SOS, PM, APC), plus single-character escapes.
const ESCAPE_SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|[\u009d\u0090\u0098\u009e\u009f][\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[ -~]?/g;
/** C0 controls except tab and newline, DEL, C1 controls. */
const CONTROLS_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidi embeddings/overrides (U+202A-U+202E) and isolates (U+2066-U+2069): they reorder what a reader sees. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Removes escape sequences, bidi controls and control characters; tab and newline stay
 * (CR becomes a newline) unless `singleLine`, where every kind of line break and tab becomes a space.
 * @example stripControls('a\u001b[31mred\u0007 \u202Egnp.exe') // 'ared gnp.exe'
 */
export function stripControls(text: string, options: { singleLine?: boolean } = {}): string {
  let out = text.replace(ESCAPE_SEQUENCES, '').replace(BIDI_CONTROLS, '');
  out = out.replace(/\r\n?/g, '\n');
  if (options.singleLine) out = out.replace(/[\t\n\u000b\u000c\u0085\u2028\u2029]/g, ' ');
  return out.replace(CONTROLS_KEEP_LINES, '');
}

/**
 * Cuts to at most `max` characters at a word boundary, ending with "…"; a text without a
 * usable boundary is cut at the character (never inside a surrogate pair).
 * @example truncateAtWord('Bitcoin rallies past records', 20) // 'Bitcoin rallies…'
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.search(/\s\S*$/);
  // Only back up to a space that keeps most of the text; a 300-char "word" is cut where it is.
  if (space > max * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.\-–—]+$/, '')}…`;
}

/**
 * A title from outside: one line, whitespace collapsed, at most TITLE_MAX_CHARS.
 * @example cleanTitle('  Big\n\tnews\u202E  ') // 'Big news'
 */
export function cleanTitle(text: string, max = TITLE_MAX_CHARS): string {
  return truncateAtWord(stripControls(text, { singleLine: true }).replace(/\s+/g, ' ').trim(), max);
}

/**
 * A summary from outside: line breaks and tabs kept (runs of blank lines collapsed), at most SUMMARY_MAX_CHARS.
 * @example cleanSummary('First.\u0000\n\n\n\nSecond.') // 'First.\n\nSecond.'
 */
export function cleanSummary(text: string, max = SUMMARY_MAX_CHARS): string {
  const cleaned = stripControls(text)
    .replace(/[ \u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncateAtWord(cleaned, max);
}

/**
 * What may be written to a terminal: no escape sequence, control or bidi override from
 * outside; newlines and tabs stay.
 * @example io.stdout.write(terminalSafe(renderText(brief)))
 */
export function terminalSafe(text: string): string {
  return stripControls(text);
}

/**
 * A stream that writes `terminalSafe` text to `target` (synchronously, so nothing waits in
 * between): the CLI's stdout, whatever a command prints.
 * @example io = { ...io, stdout: terminalSafeStream(io.stdout) };
 */
export function terminalSafeStream(target: NodeJS.WritableStream): NodeJS.WritableStream {
  return new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, done) {
      target.write(terminalSafe(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
      done();
    },
  });
}
