/** GET /briefs/:id/card.png: the brief's market card, immutable (a brief's card never changes). */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CardStore } from '../../card/store.ts';
import { sendText } from '../respond.ts';
import type { Route } from '../router.ts';
import type { ServerDeps } from '../types.ts';

const PositiveId = z.string().regex(/^[1-9]\d{0,14}$/).transform(Number);

/** A year, and never revalidated: the URL names one brief whose card is fixed. */
export const CARD_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export function cardRoutes(deps: Pick<ServerDeps, 'log'>, cards: CardStore): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/briefs/:id/card.png',
      handler: async ({ req, res, params }) => {
        const id = PositiveId.safeParse(params.id ?? '').data;
        if (id === undefined) {
          sendText(res, 400, 'A brief id is a whole number, e.g. /briefs/12/card.png.');
          return;
        }
        let png: Uint8Array | null;
        try {
          png = await cards.png(id);
        } catch (err) {
          deps.log.error({ err, briefId: id }, 'drawing the market card failed');
          sendText(res, 500, 'The card could not be drawn.');
          return;
        }
        if (!png) {
          sendText(res, 404, `Brief #${id} has no market card (no such brief, or its snapshot has no history).`);
          return;
        }
        const etag = `"${createHash('sha256').update(png).digest('base64url').slice(0, 27)}"`;
        const headers = { etag, 'cache-control': CARD_CACHE_CONTROL, 'x-content-type-options': 'nosniff' };
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, headers);
          res.end();
          return;
        }
        res.writeHead(200, { ...headers, 'content-type': 'image/png', 'content-length': String(png.length) });
        res.end(png);
      },
    },
  ];
}
