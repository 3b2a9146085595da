/**
 * Builds the delivery adapters and the worker's settings from config, once, for every
 * caller (CLI broadcast, `run --post`, the bot's /broadcast, `serve`). Platforms without
 * credentials are simply absent.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { createCardStore } from '../card/store.ts';
import type { DiscordCard } from './discord-card.ts';
import { discordAdapterFromConfig } from './discord.ts';
import { discordWebhookAdapterFromConfig, syncConfigWebhooks } from './discord-webhook.ts';
import { createTelegramAdapter, createTelegramClient, telegramLimits } from './telegram.ts';
import type { DeliveryAdapter } from './types.ts';
import type { DeliverDeps } from './worker.ts';

/** The Telegram adapter when TELEGRAM_BOT_TOKEN is set, else null. */
export function telegramAdapterFromConfig(config: Readonly<Config>, cardPng?: (briefId: number) => Promise<Uint8Array | null>): DeliveryAdapter | null {
  if (!config.telegram.botToken) return null;
  return createTelegramAdapter({
    ...(cardPng ? { cardPng } : {}),
    telegram: createTelegramClient(config.telegram),
    paidBroadcast: config.telegram.paidBroadcast,
    limits: telegramLimits(config.telegram, config.delivery.headroom, config.delivery.windowMarginMs),
    requestTimeoutMs: config.telegram.requestTimeoutMs,
  });
}

/**
 * Every configured platform's adapter (Discord's join here when its credentials are set).
 * @example const adapters = deliveryAdapters(config); // [] when no platform is configured
 */
export function deliveryAdapters(config: Readonly<Config>, db?: Db): DeliveryAdapter[] {
  // CARD_ENABLED: each brief's market card goes first, drawn once from its stored snapshot.
  const cards = db && config.card.enabled ? createCardStore({ db }) : null;
  const cardPng = cards ? (briefId: number) => cards.png(briefId) : undefined;
  const telegram = telegramAdapterFromConfig(config, cardPng);
  // Discord: the archive's card URL when PUBLIC_URL is set (no upload per channel), else the PNG attached.
  const publicUrl = config.server.publicUrl;
  const cardFor = cards
    ? async (briefId: number): Promise<DiscordCard | null> => {
        if (!cards.data(briefId)) return null;
        if (publicUrl) return { kind: 'url', url: `${publicUrl.replace(/\/+$/, '')}/briefs/${briefId}/card.png` };
        const png = await cards.png(briefId);
        return png ? { kind: 'attachment', png } : null;
      }
    : undefined;
  // Discord webhooks need no credentials, so their adapter is always there.
  const adapters = [telegram, discordAdapterFromConfig(config, cardFor), discordWebhookAdapterFromConfig(config, globalThis.fetch, cardFor)];
  return adapters.filter((a): a is DeliveryAdapter => a !== null);
}

/** The worker's settings from config (`delivery.*`). */
export function deliverySettings(
  config: Readonly<Config>,
  db: Db,
  adapters: readonly DeliveryAdapter[],
  log?: Logger,
): DeliverDeps {
  // DISCORD_WEBHOOK_URLS join as subscribers once (a webhook found gone stays inactive).
  syncConfigWebhooks(db, config, new Date());
  return {
    db,
    adapters,
    maxAttempts: config.delivery.maxAttempts,
    maxInFlight: config.delivery.maxInFlight,
    backoff: { baseMs: config.delivery.retryBaseMs, maxMs: 5 * 60_000 },
    ambiguousPolicy: config.delivery.ambiguousPolicy,
    ...(log ? { log } : {}),
  };
}
