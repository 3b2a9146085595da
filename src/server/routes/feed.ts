/** GET /feed.xml: the last 20 briefs as RSS 2.0, with an ETag so readers can poll cheaply. */
import { createHash } from 'node:crypto';
import { renderRss } from '../../render/rss.ts';
import { listBriefs } from '../../store/runs.ts';
import { baseUrl } from '../base-url.ts';
import { send } from '../respond.ts';
import type { Route } from '../router.ts';
import type { ServerDeps } from '../types.ts';

export const FEED_SIZE = 20;

export function feedRoutes(deps: ServerDeps, port: () => number): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/feed.xml',
      handler: ({ req, res }) => {
        const briefs = listBriefs(deps.db, FEED_SIZE, 0);
        const xml = renderRss(briefs, baseUrl(req, deps.config.publicUrl, port()), deps.config.title ? { title: deps.config.title } : {});
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
