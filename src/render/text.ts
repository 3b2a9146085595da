/**
 * Plain-text rendering of a brief for the terminal (`replay`, `run --print`) and logs:
 * title, the paragraph wrapped at ~100 columns, the market line, what was missing, the
 * numbered sources with their links, and the closing line: what a reader gets, nothing for
 * operators. Pure: no colours, no clock.
 */
import type { Brief } from '../domain.ts';
import { readerNotes } from './reader-notes.ts';
import { briefLabels } from './labels.ts';

export const TEXT_WIDTH = 100;

/**
 * Greedy word wrap. Words longer than the width (URLs) stay whole on their own line;
 * `indent` starts every line after the first.
 * @example wrapText('a b c', 3) // "a b\nc"
 */
export function wrapText(text: string, width = TEXT_WIDTH, indent = ''): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const prefix = lines.length === 0 ? '' : indent;
    if (line === '') line = prefix + word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/**
 * @example console.log(renderText(brief))
 */
export function renderText(brief: Brief): string {
  const blocks: string[] = [];
  blocks.push(wrapText(brief.title));
  blocks.push(wrapText(brief.items.map((i) => i.text).join(' ')));
  if (brief.marketLine.trim()) blocks.push(wrapText(brief.marketLine));
  const notes = readerNotes(brief.notes);
  if (notes.length > 0) {
    blocks.push([briefLabels(brief.language).missing, ...notes.map((n) => wrapText(`- ${n}`, TEXT_WIDTH, '  '))].join('\n'));
  }
  if (brief.sources.length > 0) {
    const pad = String(brief.sources.length).length + 2;
    const lines = brief.sources.map((s, i) => {
      const num = `${i + 1}.`.padEnd(pad);
      const head = wrapText(`${num}${s.name}: ${s.title}`, TEXT_WIDTH, ' '.repeat(pad));
      return s.url ? `${head}\n${' '.repeat(pad)}${s.url}` : head;
    });
    blocks.push([briefLabels(brief.language).sources, ...lines].join('\n'));
  }
  // The writer's reason (a refused draft's numbers, an API error) is for operators: `run` puts it
  // on stderr, `show` and `history` list it. It never goes out with the brief.
  blocks.push(wrapText(brief.closing));
  return `${blocks.join('\n\n')}\n`;
}
