/**
 * Chinese outlets' documented JSON flash endpoints read as a feed (issue 18): BlockBeats'
 * open API (`/v1/open-api/open-flash`, `{status, data: {data: [{title, content, link, create_time}]}}`)
 * and Odaily's (`/api/v1/newsflash`, `{code, data: {list: [{title, content, link, publishTimestamp}]}}`).
 * Selected per feed with `"format"`; the result is the RSS reader's ParsedFeed, so caching,
 * cleaning and headlines are the same.
 */
import { z } from 'zod';
import { SchemaError } from '../../errors.ts';
import { htmlToText } from './html-text.ts';
import { ParsedFeedSchema, SUMMARY_MAX_CHARS, type ParsedFeed } from './schema.ts';

export const FLASH_FORMATS = ['blockbeats', 'odaily-api'] as const;
export type FlashFormat = (typeof FLASH_FORMATS)[number];

const text = z.string().nullish().transform((s) => s ?? '');
const BlockBeatsSchema = z.object({
  data: z.object({
    data: z.array(z.object({ title: text, content: text, link: text, url: text, create_time: z.union([z.string(), z.number()]).nullish() })),
  }),
});
const OdailySchema = z.object({
  data: z.object({
    list: z.array(z.object({ id: z.union([z.string(), z.number()]).nullish(), title: text, content: text, link: text, publishTimestamp: z.number().nullish() })),
  }),
});

/** Unix seconds or milliseconds (as number or digits) to ISO; null when absent or absurd. */
function unixTime(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return null;
  const ms = n < 1e12 ? n * 1000 : n;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const summary = (html: string): string => htmlToText(html).slice(0, SUMMARY_MAX_CHARS);

/**
 * @example parseFlashJson(bytes, 'blockbeats', url).items[0].title // "MULTI短时上涨逼近5美元，24小时涨幅超40%"
 */
export function parseFlashJson(bytes: Uint8Array, format: FlashFormat, url: string): ParsedFeed {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch {
    throw new SchemaError(url, `not JSON (a ${format} flash endpoint was expected)`);
  }
  if (format === 'blockbeats') {
    const parsed = BlockBeatsSchema.safeParse(body);
    if (!parsed.success) throw new SchemaError(url, `not a BlockBeats flash response: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
    const items = parsed.data.data.data.map((it) => ({
      title: htmlToText(it.title),
      link: it.link || it.url || null,
      publishedAt: unixTime(it.create_time),
      summary: summary(it.content),
      guid: it.link || null,
    }));
    return ParsedFeedSchema.parse({ title: 'BlockBeats', link: 'https://www.theblockbeats.info/', format: 'rss', items });
  }
  const parsed = OdailySchema.safeParse(body);
  if (!parsed.success) throw new SchemaError(url, `not an Odaily newsflash response: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
  const items = parsed.data.data.list.map((it) => ({
    title: htmlToText(it.title),
    link: it.link || null,
    publishedAt: unixTime(it.publishTimestamp),
    summary: summary(it.content),
    guid: it.id === null || it.id === undefined ? null : String(it.id),
  }));
  return ParsedFeedSchema.parse({ title: 'Odaily', link: 'https://www.odaily.news/', format: 'rss', items });
}
