/** The archive: GET /briefs (paginated), GET /briefs/:id, GET /briefs/latest.json. */
import { z } from 'zod';
import { renderArchivePage, renderBriefPage, renderErrorPage } from '../../render/html-page.ts';
import { joinUrl } from '../../render/rss.ts';
import { getBrief, latestBrief, listBriefs } from '../../store/runs.ts';
import { baseUrl } from '../base-url.ts';
import { countBriefs } from '../queries.ts';
import { sendHtml, sendJson } from '../respond.ts';
import type { Route } from '../router.ts';
import type { CardStore } from '../../card/store.ts';
import type { ServerDeps } from '../types.ts';

const PositiveId = z.string().regex(/^[1-9]\d{0,14}$/).transform(Number);

const LatestQuery = z.object({
  language: z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/).optional(),
  edition: z.string().regex(/^[\w.:-]{1,64}$/).optional(),
});

export function briefRoutes(deps: ServerDeps, port: () => number, cards?: CardStore): Route[] {
  const pageSize = deps.config.pageSize ?? 20;
  return [
    {
      method: 'GET',
      pattern: '/briefs',
      handler: ({ res, query, root }) => {
        const raw = query.get('page');
        const page = raw === null ? 1 : PositiveId.safeParse(raw).data;
        if (page === undefined) {
          sendHtml(res, 400, renderErrorPage(400, 'The page must be a whole number from 1.', root));
          return;
        }
        const totalPages = Math.max(1, Math.ceil(countBriefs(deps.db) / pageSize));
        if (page > totalPages) {
          sendHtml(res, 404, renderErrorPage(404, `There is no page ${page}; the archive has ${totalPages}.`, root));
          return;
        }
        const briefs = listBriefs(deps.db, pageSize, (page - 1) * pageSize);
        const info = {
          page,
          totalPages,
          ...(deps.config.title ? { title: deps.config.title } : {}),
          ...(cards ? { thumbnail: (s: { id: number }) => (cards.data(s.id) ? `briefs/${s.id}/card.png` : null) } : {}),
        };
        sendHtml(res, 200, renderArchivePage(briefs, info), { 'cache-control': 'no-cache' });
      },
    },
    {
      method: 'GET',
      pattern: '/briefs/latest.json',
      handler: ({ req, res, query }) => {
        const parsed = LatestQuery.safeParse({ language: query.get('language') ?? undefined, edition: query.get('edition') ?? undefined });
        if (!parsed.success) {
          sendJson(res, 400, { error: 'language must be a language tag (e.g. "en") and edition a short name' });
          return;
        }
        const filter = {
          ...(parsed.data.language ? { language: parsed.data.language } : {}),
          ...(parsed.data.edition ? { edition: parsed.data.edition } : {}),
        };
        const stored = latestBrief(deps.db, filter);
        if (!stored) {
          sendJson(res, 404, { error: 'no brief yet' });
          return;
        }
        const url = joinUrl(baseUrl(req, deps.config.publicUrl, port()), `briefs/${stored.id}`);
        sendJson(res, 200, { id: stored.id, runId: stored.runId, edition: stored.edition, url, brief: stored.brief });
      },
    },
    {
      method: 'GET',
      pattern: '/briefs/:id',
      handler: ({ res, params, root }) => {
        const id = PositiveId.safeParse(params.id ?? '').data;
        if (id === undefined) {
          sendHtml(res, 400, renderErrorPage(400, 'A brief id is a whole number, e.g. /briefs/12.', root));
          return;
        }
        const stored = getBrief(deps.db, id);
        if (!stored) {
          sendHtml(res, 404, renderErrorPage(404, `There is no brief #${id}.`, root));
          return;
        }
        const market = cards?.data(id) ?? null;
        const page = renderBriefPage(stored, { market, cardSrc: market ? `${id}/card.png` : null });
        sendHtml(res, 200, page, { 'cache-control': 'public, max-age=300' });
      },
    },
  ];
}
