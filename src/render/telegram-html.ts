/**
 * Brief -> Telegram HTML messages. Every untrusted string (titles, source names, the LLM's
 * text) is escaped; each message stays within Telegram's 4096 characters and is split only
 * between paragraphs, then sentences (then words, then characters for pathological input),
 * never inside a tag or an entity.
 */
import type { Brief } from '../domain.ts';
import { readerNotes } from './reader-notes.ts';
import { escapeAttr, escapeHtml, safeHref } from './escape.ts';
import { briefLabels } from './labels.ts';

/** Telegram's limit for one sendMessage text. */
export const TELEGRAM_MAX_MESSAGE = 4096;

export interface TelegramRenderOptions {
  /** Longest message in characters (UTF-16 units of the HTML source, which is never shorter than the parsed text). */
  maxLength?: number;
  /** Heading above the source links. */
  sourcesLabel?: string;
}

/**
 * A run of balanced HTML fragments ("atoms") joined by `sep` and wrapped in `open`/`close`.
 * A block that must be split is cut between atoms and each piece is wrapped again.
 */
interface Block {
  open: string;
  close: string;
  sep: string;
  atoms: string[];
}

/**
 * @example const messages = renderTelegram(brief); // ['<b>Morning Brief | ...</b>\n\n...']
 */
export function renderTelegram(brief: Brief, options: TelegramRenderOptions = {}): string[] {
  const limit = options.maxLength ?? TELEGRAM_MAX_MESSAGE;
  const blocks: Block[] = [];
  const add = (open: string, close: string, sep: string, atoms: string[]) => {
    if (atoms.length > 0) blocks.push({ open, close, sep, atoms });
  };
  const budget = (open: string, close: string) => Math.max(1, limit - open.length - close.length);

  add('<b>', '</b>', ' ', textAtoms(brief.title, budget('<b>', '</b>')));
  add('', '', ' ', brief.items.flatMap((item) => textAtoms(item.text, budget('', ''))));
  if (brief.marketLine.trim()) add('', '', ' ', textAtoms(brief.marketLine, budget('', '')));
  if (brief.sources.length > 0) {
    const lines = [escapeHtml(options.sourcesLabel ?? briefLabels(brief.language).sources)];
    for (const source of brief.sources) lines.push(...sourceAtoms(source, budget('', '')));
    add('', '', '\n', lines);
  }
  // What was missing, in the readers' words (never a status code or a URL).
  add('', '', '\n', readerNotes(brief.notes).flatMap((n) => textAtoms(`• ${n}`, budget('', ''))));
  if (brief.closing.trim()) add('<i>', '</i>', ' ', textAtoms(brief.closing, budget('<i>', '</i>')));
  return pack(blocks, limit);
}

/** One source as `• <a href="url">title</a> (name)`; a non-http(s) URL leaves plain text. */
function sourceAtoms(source: Brief['sources'][number], budget: number): string[] {
  const label = source.title.trim() || source.name;
  const suffix = source.name && source.name !== label ? ` (${source.name})` : '';
  const href = safeHref(source.url);
  if (href) {
    const html = `• <a href="${escapeAttr(href)}">${escapeHtml(label)}</a>${escapeHtml(suffix)}`;
    if (html.length <= budget) return [html];
  }
  return textAtoms(`• ${label}${suffix}`, budget);
}

/** Escaped pieces of `raw`, each at most `budget` long: sentences, else words, else characters. */
function textAtoms(raw: string, budget: number): string[] {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return [];
  const whole = escapeHtml(text);
  if (whole.length <= budget) return [whole];
  const out: string[] = [];
  for (const sentence of text.split(/(?<=[.!?。！？…])\s+/)) {
    const escaped = escapeHtml(sentence);
    if (escaped.length <= budget) out.push(escaped);
    else out.push(...packWords(sentence, budget));
  }
  return out;
}

/** A sentence too long for one message: whole words per piece, characters for a giant word. */
function packWords(sentence: string, budget: number): string[] {
  const out: string[] = [];
  let current = '';
  const pieces = sentence.split(' ').flatMap((word) => (escapeHtml(word).length <= budget ? [word] : splitChars(word, budget)));
  for (const word of pieces) {
    const next = current ? `${current} ${word}` : word;
    if (escapeHtml(next).length <= budget) current = next;
    else {
      if (current) out.push(escapeHtml(current));
      current = word;
    }
  }
  if (current) out.push(escapeHtml(current));
  return out;
}

/** Cuts raw text (never an entity: escaping happens after) by code points so each piece escapes within budget. */
function splitChars(word: string, budget: number): string[] {
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of word) {
    const cost = escapeHtml(ch).length;
    if (size + cost > budget && current) {
      out.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += cost;
  }
  if (current) out.push(current);
  return out;
}

/** Fills messages block by block; a block that fits no single message is cut between atoms. */
function pack(blocks: Block[], limit: number): string[] {
  const messages: string[] = [];
  let current = '';
  const append = (html: string) => {
    current = current ? `${current}\n\n${html}` : html;
  };
  const flush = () => {
    if (current) messages.push(current);
    current = '';
  };
  for (const block of blocks) {
    const whole = block.open + block.atoms.join(block.sep) + block.close;
    const used = current ? current.length + 2 : 0;
    if (used + whole.length <= limit) {
      append(whole);
      continue;
    }
    if (whole.length <= limit) {
      // Prefer a message break between paragraphs over cutting this one.
      flush();
      append(whole);
      continue;
    }
    const wrap = block.open.length + block.close.length;
    let part: string[] = [];
    let partLength = 0;
    for (const atom of block.atoms) {
      const grown = part.length === 0 ? atom.length : partLength + block.sep.length + atom.length;
      const prefix = current ? current.length + 2 : 0;
      if (prefix + wrap + grown <= limit) {
        part.push(atom);
        partLength = grown;
        continue;
      }
      if (part.length > 0) append(block.open + part.join(block.sep) + block.close);
      flush();
      part = [atom];
      partLength = atom.length;
    }
    if (part.length > 0) append(block.open + part.join(block.sep) + block.close);
  }
  flush();
  return messages;
}
