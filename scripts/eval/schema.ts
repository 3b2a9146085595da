/**
 * The labelled evaluation set's file format (eval/stories/<lang>/<YYYY-MM-DD>.json): one
 * news day of real headlines, each labelled by hand with the event it reports, and where
 * every headline was copied from. Zod checks every file before it is scored.
 */
import { z } from 'zod';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /T/.test(s), 'expected an ISO date-time');
/** Event ids and headline ids: lower-case words joined by dashes, e.g. "binance-futures-xrp-perp". */
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words joined by "-"');

/** A public repository file that stored the headlines (an API response dump, a feed snapshot). */
const RepositoryProvenanceSchema = z.object({
  id: slug,
  kind: z.literal('repository'),
  /** owner/name on GitHub. */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected owner/name'),
  path: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{40}$/, 'expected a 40-digit commit hash'),
  /** What the file holds, e.g. "CryptoCompare /data/v2/news response (50 latest items)". */
  format: z.string().min(1),
  note: z.string().optional(),
});

/** A stored copy of a public web page (an outlet's article or listing page). */
const PageProvenanceSchema = z.object({
  id: slug,
  kind: z.literal('page'),
  url: z.string().url(),
  format: z.string().min(1),
  note: z.string().optional(),
});

export const ProvenanceSchema = z.discriminatedUnion('kind', [RepositoryProvenanceSchema, PageProvenanceSchema]);
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const LabelledHeadlineSchema = z.object({
  /** Unique within the day, e.g. "h07". */
  id: slug,
  /** The outlet's display name, e.g. "The Block". */
  outlet: z.string().min(1),
  /** The feed id the pipeline would give it (config feed ids where one exists), e.g. "theblock". */
  sourceId: slug,
  /** Exactly as stored by the provenance (entities and all). */
  title: z.string().min(1),
  /** The item's summary/body exactly as stored, when the source had one. */
  summary: z.string().optional(),
  url: z.string().url(),
  /** null when the source stored no item time (a feed snapshot that kept titles and links only). */
  publishedAt: isoTime.nullable(),
  /** The hand label: the real-world happening the headline reports (an id from the day's `events`). */
  event: slug,
  /** Id of one of the day's `provenance` entries. */
  provenance: slug,
  /** Why the label was given, where a reader might doubt it. */
  note: z.string().optional(),
});
export type LabelledHeadline = z.infer<typeof LabelledHeadlineSchema>;

export const HardNegativeSchema = z.object({
  /** Two events of the day that share actors or topic but are different happenings. */
  events: z.tuple([slug, slug]),
  why: z.string().min(1),
});
export type HardNegative = z.infer<typeof HardNegativeSchema>;

export const StoryDaySchema = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
    language: z.string().min(2),
    /** The clock of the brief written from this day: the morning after the headlines. */
    briefAt: isoTime,
    /** One line on what the day was and how it was gathered. */
    description: z.string().min(1),
    provenance: z.array(ProvenanceSchema).min(1),
    /** Every event id used by the day's headlines, with a one-line description (the editor's words). */
    events: z.record(slug, z.string().min(1)),
    hardNegatives: z.array(HardNegativeSchema).default([]),
    headlines: z.array(LabelledHeadlineSchema).min(1),
  })
  .superRefine((day, ctx) => {
    const issue = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
    const provenanceIds = new Set(day.provenance.map((p) => p.id));
    if (provenanceIds.size !== day.provenance.length) issue('provenance ids must be unique', ['provenance']);
    const ids = new Set<string>();
    const urls = new Set<string>();
    const used = new Set<string>();
    const briefAt = Date.parse(day.briefAt);
    day.headlines.forEach((h, i) => {
      if (ids.has(h.id)) issue(`duplicate headline id "${h.id}"`, ['headlines', i, 'id']);
      ids.add(h.id);
      const url = h.url.replace(/[?#].*$/, '').replace(/\/$/, '').toLowerCase();
      if (urls.has(url)) issue(`duplicate url ${h.url}`, ['headlines', i, 'url']);
      urls.add(url);
      if (!provenanceIds.has(h.provenance)) issue(`unknown provenance "${h.provenance}"`, ['headlines', i, 'provenance']);
      if (day.events[h.event] === undefined) issue(`event "${h.event}" is not described in events`, ['headlines', i, 'event']);
      if (h.publishedAt !== null && Date.parse(h.publishedAt) > briefAt) issue('published after briefAt', ['headlines', i, 'publishedAt']);
      used.add(h.event);
    });
    for (const id of Object.keys(day.events)) if (!used.has(id)) issue(`event "${id}" labels no headline`, ['events', id]);
    day.hardNegatives.forEach((n, i) => {
      for (const e of n.events) if (!used.has(e)) issue(`hard negative names unknown event "${e}"`, ['hardNegatives', i]);
      if (n.events[0] === n.events[1]) issue('a hard negative needs two different events', ['hardNegatives', i]);
    });
  });
export type StoryDay = z.infer<typeof StoryDaySchema>;
