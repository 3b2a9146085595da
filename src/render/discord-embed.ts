/**
 * A brief as Discord message payloads: embeds within every Discord limit (split over more
 * embeds and messages when long), or plain text under 2000 characters. Untrusted text can
 * neither ping anyone nor break the Markdown around it.
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Brief } from '../domain.ts';
import { stripControls } from '../util/clean-text.ts';
import { readerNotes } from './reader-notes.ts';
import { briefLabels } from './labels.ts';

/** Discord's limits; a setting with these defaults, since the platform may change them. */
export interface DiscordLimits {
  content: number;
  embedsPerMessage: number;
  /** Characters across all embeds of one message (title, description, fields, footer, author). */
  totalPerMessage: number;
  title: number;
  description: number;
  fields: number;
  fieldName: number;
  fieldValue: number;
  footer: number;
}

export const DISCORD_LIMITS: Readonly<DiscordLimits> = Object.freeze({
  content: 2000,
  embedsPerMessage: 10,
  totalPerMessage: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
});

/** One message's body for `POST /channels/{id}/messages` or a webhook. */
export interface DiscordMessagePayload {
  embeds: APIEmbed[];
  content?: string;
  /** Nothing in a brief may ping: no @everyone, no roles, no users. */
  allowed_mentions: { parse: [] };
}

/** Embed colours by market direction. */
export const DIRECTION_COLORS: Readonly<Record<Brief['direction'], number>> = Object.freeze({
  up: 0x2ecc71,
  down: 0xe74c3c,
  flat: 0x95a5a6,
});

const ZWSP = '\u200b';

/**
 * Makes `@everyone`, `@here` and `<@id>` / `<@&id>` inert even where allowed_mentions is not
 * honoured (a copy-pasted message, an old client).
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<@/g, `<@${ZWSP}`);
}

/**
 * Escapes Discord Markdown so a headline like `*BTC* [pump](x)` shows as written.
 * @example escapeMarkdown('a_b [c](d)') // 'a\\_b \\[c\\]\\(d\\)'
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~|>`[\]()#]/g, '\\$&')
    // "- " starts a list wherever a split puts it at a line start; "\-" still shows "-".
    .replace(/(^|\s)-/g, '$1\\-');
}

/** Untrusted text that lands inside rendered Markdown. */
export function safeMarkdown(text: string): string {
  // Controls, escape sequences and bidi overrides from a feed never reach a channel.
  return neutralizeMentions(escapeMarkdown(stripControls(text)));
}

/** Cuts at `max`, never inside a surrogate pair or right after a lone escaping backslash. */
function hardCut(text: string, max: number): string {
  let cut = text.slice(0, Math.max(0, max));
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return cut;
}

/** Shortens to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${hardCut(text, max - 1).trimEnd()}…`;
}

/**
 * Splits text into chunks of at most `max` characters: between sentences where it can,
 * between words otherwise, and mid-word only for a word longer than `max`.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  for (const sentence of text.split(/(?<=[.!?])\s+/)) {
    if (sentence.length <= max) {
      pieces.push(sentence);
      continue;
    }
    for (let word of sentence.split(/\s+/)) {
      while (word.length > max) {
        const head = hardCut(word, max) || word.slice(0, max);
        pieces.push(head);
        word = word.slice(head.length);
      }
      if (word) pieces.push(word);
    }
  }
  return packPieces(pieces, max, ' ');
}

/** Greedily joins pieces with `sep` into chunks no longer than `max` (each piece already fits). */
function packPieces(pieces: string[], max: number, sep: string): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (!piece) continue;
    if (current && current.length + sep.length + piece.length <= max) current += sep + piece;
    else {
      if (current) chunks.push(current);
      current = piece;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** An http(s) URL made safe inside `(...)` of a Markdown link; null for anything else. */
export function safeLinkUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href.replace(/[()[\]<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** "BTC $91,234 (-2.3%)" -> { name: "BTC", value: "$91,234 (-2.3%)" }. */
function marketFields(marketLine: string, limits: DiscordLimits): APIEmbedField[] {
  return marketLine
    .split(/\s+[·•|]\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((segment) => {
      const m = /^(.+?)\s+([-+−$€£¥\d(].*)$/.exec(segment);
      const name = m?.[1] ?? segment;
      const value = m?.[2] ?? '—';
      return {
        name: truncate(safeMarkdown(name), limits.fieldName),
        value: truncate(safeMarkdown(value), limits.fieldValue),
        inline: true,
      };
    });
}

function sourceLine(source: Brief['sources'][number], angleUrl: boolean): string {
  const title = safeMarkdown(source.title || source.name);
  const by = source.name && source.title ? ` (${safeMarkdown(source.name)})` : '';
  const url = safeLinkUrl(source.url);
  if (!url) return `${title}${by}`;
  return `[${title}](${angleUrl ? `<${url}>` : url})${by}`;
}

/** Lines packed into field values of at most `limits.fieldValue`, one line never split. */
function listFields(name: string, lines: string[], limits: DiscordLimits): APIEmbedField[] {
  const fitted = lines.map((l) => truncate(l, limits.fieldValue));
  return packPieces(fitted, limits.fieldValue, '\n').map((value, i) => ({
    name: i === 0 ? name : `${name} (cont.)`,
    value,
  }));
}

/** Characters Discord counts toward the 6000 total. */
export function embedSize(embed: APIEmbed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
  n += embed.author?.name.length ?? 0;
  for (const f of embed.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function fieldSize(f: APIEmbedField): number {
  return f.name.length + f.value.length;
}

/** The paragraph: the items' sentences in order. */
export function briefParagraph(brief: Brief): string {
  return brief.items.map((i) => i.text.trim()).join(' ');
}

/** The brief as a list of embeds, each within the per-embed limits and the 6000 total. */
function buildEmbeds(brief: Brief, limits: DiscordLimits): APIEmbed[] {
  const color = DIRECTION_COLORS[brief.direction];
  const title = truncate(safeMarkdown(brief.title), limits.title);
  const embedBudget = limits.totalPerMessage;
  const descMax = Math.min(limits.description, embedBudget - title.length);
  const embeds: APIEmbed[] = splitText(safeMarkdown(briefParagraph(brief)), descMax).map((description, i) =>
    i === 0 ? { title, description, color } : { description, color },
  );
  if (embeds.length === 0) embeds.push({ title, color });

  const fields = [
    ...marketFields(brief.marketLine, limits),
    ...listFields(briefLabels(brief.language).sourcesField, brief.sources.map((s) => `• ${sourceLine(s, false)}`), limits),
    ...listFields(briefLabels(brief.language).notesField, readerNotes(brief.notes).map((n) => `• ${safeMarkdown(n)}`), limits),
  ];
  for (const field of fields) {
    let last = embeds[embeds.length - 1]!;
    const count = last.fields?.length ?? 0;
    if (count >= limits.fields || embedSize(last) + fieldSize(field) > embedBudget) {
      last = { color };
      embeds.push(last);
    }
    (last.fields ??= []).push(field);
  }

  const closing = truncate(brief.closing.trim(), limits.footer);
  let last = embeds[embeds.length - 1]!;
  if (closing && embedSize(last) + closing.length > embedBudget) {
    last = { color };
    embeds.push(last);
  }
  if (closing) last.footer = { text: closing };
  last.timestamp = new Date(brief.createdAt).toISOString();
  return embeds;
}

/**
 * The brief as one or more Discord messages of embeds: title, paragraph, the market line as
 * inline fields, sources as links, the closing line as footer, coloured by direction.
 * @example for (const body of renderDiscord(brief)) await rest.post(Routes.channelMessages(id), { body });
 */
export function renderDiscord(brief: Brief, limits: DiscordLimits = DISCORD_LIMITS): DiscordMessagePayload[] {
  const messages: DiscordMessagePayload[] = [];
  let current: APIEmbed[] = [];
  let size = 0;
  for (const embed of buildEmbeds(brief, limits)) {
    const n = embedSize(embed);
    if (current.length > 0 && (current.length >= limits.embedsPerMessage || size + n > limits.totalPerMessage)) {
      messages.push({ embeds: current, allowed_mentions: { parse: [] } });
      current = [];
      size = 0;
    }
    current.push(embed);
    size += n;
  }
  if (current.length > 0) messages.push({ embeds: current, allowed_mentions: { parse: [] } });
  return messages;
}

/**
 * The plain-text fallback: Markdown content split under the 2000-character limit, between
 * lines, then sentences, then words. Links are wrapped in `<>` so they do not unfurl.
 * @example renderDiscordText(brief).map((p) => p.content)
 */
export function renderDiscordText(brief: Brief, limits: DiscordLimits = DISCORD_LIMITS): DiscordMessagePayload[] {
  const lines: string[] = [`**${safeMarkdown(brief.title)}**`, safeMarkdown(briefParagraph(brief))];
  if (brief.marketLine.trim()) lines.push('', safeMarkdown(brief.marketLine));
  if (brief.sources.length > 0) lines.push('', `**${briefLabels(brief.language).sourcesField}**`, ...brief.sources.map((s) => `• ${sourceLine(s, true)}`));
  const notes = readerNotes(brief.notes);
  if (notes.length > 0) lines.push('', ...notes.map((n) => `• ${safeMarkdown(n)}`));
  if (brief.closing.trim()) lines.push('', `*${safeMarkdown(brief.closing.trim())}*`);
  const max = limits.content;
  const pieces = lines.flatMap((line) => (line.length <= max ? [line] : splitText(line, max)));
  // Blank lines keep their place as paragraph breaks; packPieces drops empty pieces, so mark them.
  const marked = pieces.map((p) => (p === '' ? ZWSP : p));
  return packPieces(marked, max, '\n')
    .map((chunk) => chunk.replace(new RegExp(`^${ZWSP}$`, 'gm'), '').replace(/^\n+|\n+$/g, ''))
    .filter((content) => content.length > 0)
    .map((content) => ({ embeds: [], content, allowed_mentions: { parse: [] } }));
}
