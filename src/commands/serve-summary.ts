/**
 * What `serve` runs with, for its first log line: platforms on or off (and why), sources,
 * writer and schedule. Names and hosts only: no token, key or secret ever appears here.
 */
import type { Config } from '../config.ts';
import { describeSources } from '../sources/registry.ts';

export interface ServeSummary {
  platforms: { telegram: string; discord: string; discordWebhooks: number };
  sources: { on: string[]; off: string[] };
  writer: string;
  schedule: string;
  http: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'a custom endpoint';
  }
}

export function describeServe(config: Readonly<Config>): ServeSummary {
  const tg = config.telegram;
  const dc = config.discord;
  const entries = describeSources(config);
  const d = config.delivery;
  const editions = d.editions.map((e) => `${e.time} ${e.timezone} (${e.language})`);
  return {
    platforms: {
      telegram: tg.botToken ? `on (${tg.webhookUrl ? `webhook at ${hostOf(tg.webhookUrl)}` : 'long polling'})` : 'off: TELEGRAM_BOT_TOKEN not set',
      discord: dc.botToken ? 'on (gateway)' : 'off: DISCORD_BOT_TOKEN not set',
      discordWebhooks: dc.webhooks.length,
    },
    sources: {
      on: entries.filter((e) => e.enabled).map((e) => e.source.id),
      off: entries.filter((e) => !e.enabled).map((e) => e.source.id),
    },
    writer: config.llm.apiKey
      ? `llm ${config.llm.model} at ${config.llm.baseUrl ? hostOf(config.llm.baseUrl) : 'api.openai.com'}`
      : 'extractive (OPENAI_API_KEY not set)',
    schedule: `each subscriber at their own time (new ones ${d.defaultTime} ${d.defaultTimezone})${editions.length > 0 ? `; editions written ahead: ${editions.join(', ')}` : ''}`,
    http: `${config.server.host}:${config.server.port}`,
  };
}
