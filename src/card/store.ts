/**
 * Cards by brief id, drawn on first use from the brief's stored snapshot and kept (a brief's
 * card never changes): the archive, the feed and delivery all ask here, so each card is
 * drawn once per process, and two askers at once share one drawing.
 */
import type { Brief, Snapshot } from '../domain.ts';
import type { Db } from '../store/db.ts';
import { getBrief, getRunSnapshot } from '../store/runs.ts';
import { type CardData, cardDataFrom } from './data.ts';

export interface CardStoreDeps {
  db: Db;
  /** Draws a card (src/card/render.ts); injected so tests can count drawings. */
  render?: (data: CardData) => Promise<Uint8Array>;
  /** How many PNGs to keep (about 100 KB each). */
  max?: number;
}

export interface CardStore {
  /** What the card of this brief shows, or null (no such brief, or nothing to chart). */
  data(briefId: number): CardData | null;
  /** The card's PNG, or null when the brief has no card. */
  png(briefId: number): Promise<Uint8Array | null>;
  /** The PNG's size if it was drawn already (for the feed's enclosure), else undefined. */
  drawnSize(briefId: number): number | undefined;
}

/** The card's content for a stored brief and its run's snapshot. */
export function cardDataForStored(brief: Pick<Brief, 'name' | 'dataAsOf' | 'direction'>, snapshot: Snapshot | null): CardData | null {
  return snapshot ? cardDataFrom(brief, snapshot) : null;
}

/**
 * @example const cards = createCardStore({ db }); const png = await cards.png(7);
 */
export function createCardStore(deps: CardStoreDeps): CardStore {
  const max = deps.max ?? 64;
  const dataById = new Map<number, CardData | null>();
  const pngById = new Map<number, Promise<Uint8Array | null>>();
  const sizes = new Map<number, number>();
  const render = deps.render ?? (async (d: CardData) => (await import('./render.ts')).renderCard(d));

  const data = (briefId: number): CardData | null => {
    if (dataById.has(briefId)) return dataById.get(briefId)!;
    const stored = getBrief(deps.db, briefId);
    const value = stored ? cardDataForStored(stored.brief, getRunSnapshot(deps.db, stored.runId)) : null;
    // Only a brief that exists is remembered: an id asked before its brief is stored stays unknown.
    if (stored) dataById.set(briefId, value);
    return value;
  };

  return {
    data,
    png(briefId) {
      const cached = pngById.get(briefId);
      if (cached) return cached;
      const d = data(briefId);
      if (!d) return Promise.resolve(null);
      const drawing = render(d).then(
        (png) => {
          sizes.set(briefId, png.length);
          return png;
        },
        (err: unknown) => {
          pngById.delete(briefId);
          throw err;
        },
      );
      pngById.set(briefId, drawing);
      // Oldest first out; Map keeps insertion order.
      while (pngById.size > max) {
        const oldest = pngById.keys().next().value!;
        pngById.delete(oldest);
        sizes.delete(oldest);
      }
      if (dataById.size > max * 8) dataById.delete(dataById.keys().next().value!);
      return drawing;
    },
    drawnSize: (briefId) => sizes.get(briefId),
  };
}
