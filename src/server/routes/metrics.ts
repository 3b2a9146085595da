/** GET /metrics: the Prometheus text exposition of the app's own registry. */
import { send } from '../respond.ts';
import type { Route } from '../router.ts';
import type { ServerDeps } from '../types.ts';

export function metricsRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/metrics',
      handler: async ({ res }) => {
        const text = await deps.metrics.registry.metrics();
        send(res, 200, deps.metrics.registry.contentType, text, { 'cache-control': 'no-store' });
      },
    },
  ];
}
