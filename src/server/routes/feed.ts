/** GET /feed.xml: the last 20 briefs as RSS 2.0, with an ETag so readers can poll cheaply. */
import { createHash } from 'node:crypto';
import { renderRss } from '../../render/rss.ts';
import { listBriefs } from '../../store/runs.ts';
import { baseUrl } from '../base-url.ts';
import { send } from '../respond.ts';
import type { Route } from '../router.ts';
import type { ServerDeps } from '../types.ts';
import type { CardStore } from '../../card/store.ts';

export const FEED_SIZE = 20;

export function feedRoutes(deps: ServerDeps, port: () => number, cards?: CardStore): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/feed.xml',
      handler: async ({ req, res }) => {
        const briefs = listBriefs(deps.db, FEED_SIZE, 0);
        // An enclosure needs the card's size: draw the ones not drawn yet (kept after that).
        const cardSizes = new Map<number, number>();
        for (const b of cards ? briefs : []) {
          const png = await cards!.png(b.id).catch(() => null);
          if (png) cardSizes.set(b.id, png.length);
        }
        const options = { ...(deps.config.title ? { title: deps.config.title } : {}), cardSize: (id: number) => cardSizes.get(id) ?? null };
        const xml = renderRss(briefs, baseUrl(req, deps.config.publicUrl, port()), options);
        const etag = `"${createHash('sha256').update(xml).digest('base64url').slice(0, 27)}"`;
        const headers = { etag, 'cache-control': 'public, max-age=300' };
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, headers);
          res.end();
          return;
        }
        send(res, 200, 'application/rss+xml; charset=utf-8', xml, headers);
      },
    },
  ];
}
