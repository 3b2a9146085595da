/** POST /trigger: a manual run behind a bearer token, never two at once. */
import { describeError } from '../../errors.ts';
import { bearerMatches } from '../auth.ts';
import { sendJson } from '../respond.ts';
import type { Route } from '../router.ts';
import type { ServerDeps } from '../types.ts';

/**
 * Throw this from `trigger()` when another run (e.g. the scheduler's) holds the lock; the
 * endpoint answers 409 as it does for two overlapping HTTP triggers.
 */
export class TriggerBusyError extends Error {
  override name = 'TriggerBusyError';
  constructor(message = 'a run is already in progress') {
    super(message);
  }
}

export interface TriggerRoutes {
  routes: Route[];
  running(): boolean;
}

/**
 * `POST /trigger` waits for the run and answers 200 with its result; `POST /trigger?wait=0`
 * answers 202 at once and the run goes on (its outcome is logged).
 * @example const t = triggerRoutes(deps); routes.push(...t.routes);
 */
export function triggerRoutes(deps: ServerDeps): TriggerRoutes {
  let inFlight = false;
  const routes: Route[] = [
    {
      method: 'POST',
      pattern: '/trigger',
      handler: async ({ req, res, query }) => {
        req.resume(); // the body is not used; drain it so the connection can be reused
        const token = deps.config.triggerToken;
        if (!token) {
          sendJson(res, 404, { error: 'the trigger endpoint is off: set TRIGGER_TOKEN to turn it on' });
          return;
        }
        if (!bearerMatches(req.headers.authorization, token)) {
          deps.log.warn({ remote: req.socket.remoteAddress, hasAuthorization: Boolean(req.headers.authorization) }, 'trigger: unauthorized');
          sendJson(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer realm="morning-brief"' });
          return;
        }
        if (inFlight) {
          sendJson(res, 409, { error: 'a run is already in progress' });
          return;
        }
        inFlight = true;
        deps.log.info({ remote: req.socket.remoteAddress }, 'trigger: run requested over HTTP');
        // Via a then(): a trigger that throws synchronously must still release the lock.
        const run = Promise.resolve()
          .then(() => deps.trigger())
          .finally(() => {
            inFlight = false;
          });
        const wait = !['0', 'false', 'no'].includes(query.get('wait') ?? '');
        if (!wait) {
          run.then(
            (r) => deps.log.info({ briefId: r.briefId, delivered: r.delivered }, 'trigger: run finished'),
            (err: unknown) =>
              err instanceof TriggerBusyError
                ? deps.log.info({ reason: err.message }, 'trigger: another run holds the lock')
                : deps.log.error({ err: describeError(err) }, 'trigger: run failed'),
          );
          sendJson(res, 202, { status: 'started' });
          return;
        }
        try {
          const result = await run;
          sendJson(res, 200, {
            status: 'done',
            briefId: result.briefId,
            ...(result.delivered !== undefined ? { delivered: result.delivered } : {}),
          });
        } catch (err) {
          if (err instanceof TriggerBusyError) {
            sendJson(res, 409, { error: err.message });
            return;
          }
          deps.log.error({ err: describeError(err) }, 'trigger: run failed');
          sendJson(res, 500, { error: `run failed: ${describeError(err)}` });
        }
      },
    },
  ];
  return { routes, running: () => inFlight };
}
