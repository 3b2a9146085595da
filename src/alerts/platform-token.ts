/**
 * Alert job: a chat platform whose bot token stopped working (a start or a send answered 401,
 * "Unauthorized", "invalid token"), from the platform status /healthz shows.
 */
import type { PlatformHealth } from '../platform-status.ts';
import type { Alert } from './notifier.ts';

const TOKEN_REJECTED = /\b401\b|unauthori[sz]ed|invalid (?:bot )?token|token (?:is )?invalid|authentication failed/i;

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
