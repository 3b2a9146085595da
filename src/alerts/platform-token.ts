/**
 * Alert job: a chat platform whose bot token stopped working (a start or a send answered 401,
 * "Unauthorized", "invalid token"), from the platform status /healthz shows.
 */
import type { PlatformHealth } from '../platform-status.ts';
import type { Alert } from './notifier.ts';

const TOKEN_REJECTED = /\b401\b|unauthori[sz]ed|invalid (?:bot )?token|token (?:is )?invalid|authentication failed/i;

/**
 * A delivery pass that stopped on a rejected token (the worker's `aborted`, e.g. "401:
 * Unauthorized (check TELEGRAM_BOT_TOKEN)"): the token died while the service ran.
 */
export function abortedDeliveryAlerts(aborted: string | null | undefined): Alert[] {
  if (!aborted || !TOKEN_REJECTED.test(aborted)) return [];
  const platform = /DISCORD/.test(aborted) ? 'discord' : /TELEGRAM/.test(aborted) ? 'telegram' : 'chat platform';
  return [
    {
      kind: 'platform_token',
      key: `token:${platform}`,
      text: `delivery stopped: the ${platform} bot token is rejected (${aborted.slice(0, 200)}); the unsent briefs wait in the outbox until it is replaced.`,
    },
  ];
}

/** @example platformTokenAlerts({ telegram: { state: 'down', error: '401: Unauthorized', ... } }) */
export function platformTokenAlerts(platforms: Record<string, PlatformHealth>): Alert[] {
  return Object.entries(platforms)
    .filter(([, health]) => health.state === 'down' && health.error !== null && TOKEN_REJECTED.test(health.error))
    .map(([platform, health]) => ({
      kind: 'platform_token' as const,
      key: `token:${platform}`,
      text: `the ${platform} bot token is rejected (${health.error!.slice(0, 200)}); nothing reaches ${platform} subscribers until it is replaced.`,
    }));
}
