/** One call from a brief and its snapshot to the card's PNG, or null when there is nothing to chart. */
import type { Brief, Snapshot } from '../domain.ts';
import { cardDataFrom } from './data.ts';
import { renderCard } from './render.ts';

export const CARD_FILENAME = 'card.png';
export const CARD_MIME = 'image/png';

/**
 * The card for a brief, drawn from the snapshot it was written from (so a replay draws the same).
 * @example const png = await cardForBrief(brief, snapshot); if (png) await writeFile('card.png', png);
 */
export async function cardForBrief(brief: Pick<Brief, 'name' | 'dataAsOf' | 'direction'>, snapshot: Snapshot): Promise<Uint8Array | null> {
  const data = cardDataFrom(brief, snapshot);
  return data ? renderCard(data) : null;
}
