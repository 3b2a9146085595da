/**
 * One zod schema over the environment and an optional JSON config file. A bad value stops
 * the program with one message naming every bad field (exit code 2, see cli.ts).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseTime, parseTimeZone } from './schedule/local-time.ts';
import { LANGUAGE_HELP, parseLanguage } from './util/language.ts';
import { DEFAULT_FRESHNESS } from './writers/freshness.ts';

const url = z.url({ protocol: /^https?$/ });
/** Longest delay a Node timer holds; a longer one fires at once, so it is a config error. */
const MAX_TIMER_MS = 2_147_483_647;
const positiveMs = z.number().int().positive().max(MAX_TIMER_MS, `at most ${MAX_TIMER_MS} ms (about 24 days)`);
/** Every zone, time and language setting goes through the same parser the bots and CLI use. */
const timeZone = z
  .string()
  .refine((s) => parseTimeZone(s) !== null, 'an IANA time zone such as Europe/Berlin, or a whole-hour offset like UTC+3')
  .transform((s) => parseTimeZone(s)!);
const localTime = z
  .string()
  .refine((s) => parseTime(s) !== null, 'a 24-hour time HH:MM (00:00 to 23:59)')
  .transform((s) => parseTime(s)!);
const language = z
  .string()
  .refine((s) => parseLanguage(s) !== null, LANGUAGE_HELP)
  .transform((s) => parseLanguage(s)!);

export const FeedConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" or "_"'),
  name: z.string().min(1),
  url: url,
  /** Source weight in ranking: 1 is an ordinary outlet, 1.5 an official source. */
  weight: z.number().positive().default(1),
  enabled: z.boolean().default(true),
  /** The editions that read it: "zh" feeds go to zh editions; unset means English (src/sources/feeds-by-language.ts). */
  language: language.optional(),
  /** Unset: RSS/Atom/RDF. "blockbeats" / "odaily-api": the outlet's JSON flash endpoint (src/sources/feed/flash-json.ts). */
  format: z.enum(['blockbeats', 'odaily-api']).optional(),
});
export type FeedConfig = z.infer<typeof FeedConfigSchema>;

export const CoinSchema = z.object({
  /** CoinGecko id, e.g. "bitcoin". */
  id: z.string().min(1),
  /** Ticker, used for the Binance fallback (`<SYMBOL>USDT`) and in the brief. */
  symbol: z.string().min(1).transform((s) => s.toUpperCase()),
  name: z.string().min(1),
});
export type Coin = z.infer<typeof CoinSchema>;

export const DEFAULT_COINS: Coin[] = [
  { id: 'bitcoin', symbol: 'BTC', name: 'Bitcoin' },
  { id: 'ethereum', symbol: 'ETH', name: 'Ethereum' },
  { id: 'solana', symbol: 'SOL', name: 'Solana' },
  { id: 'ripple', symbol: 'XRP', name: 'XRP' },
  { id: 'binancecoin', symbol: 'BNB', name: 'BNB' },
];

export const DEFAULT_FEEDS: FeedConfig[] = [
  { id: 'coindesk', name: 'CoinDesk', url: 'https://www.coindesk.com/arc/outboundfeeds/rss/', weight: 1.2, enabled: true },
  { id: 'cointelegraph', name: 'Cointelegraph', url: 'https://cointelegraph.com/rss', weight: 1, enabled: true },
  { id: 'theblock', name: 'The Block', url: 'https://www.theblock.co/rss.xml', weight: 1.1, enabled: true },
  { id: 'decrypt', name: 'Decrypt', url: 'https://decrypt.co/feed', weight: 1, enabled: true },
  { id: 'bitcoinmagazine', name: 'Bitcoin Magazine', url: 'https://bitcoinmagazine.com/.rss/full/', weight: 0.9, enabled: true },
  { id: 'dlnews', name: 'DL News', url: 'https://www.dlnews.com/arc/outboundfeeds/rss/', weight: 1, enabled: true },
  { id: 'fed-monetary', name: 'Federal Reserve', url: 'https://www.federalreserve.gov/feeds/press_monetary.xml', weight: 1.6, enabled: true },
  { id: 'sec', name: 'SEC', url: 'https://www.sec.gov/news/pressreleases.rss', weight: 1.3, enabled: true },
  // Chinese editions (issue 18): the outlets' own documented RSS, no key; samples in test/fixtures/feeds-zh/.
  { id: 'odaily', name: 'Odaily', url: 'https://www.odaily.news/v1/openapi/odailyrss', weight: 1, enabled: true, language: 'zh' },
  { id: 'chaincatcher', name: 'ChainCatcher', url: 'https://www.chaincatcher.com/rss/clist', weight: 1, enabled: true, language: 'zh' },
  { id: 'blockbeats', name: 'BlockBeats', url: 'https://api.theblockbeats.news/v1/open-api/open-flash?size=50&page=1&type=push&lang=cn', weight: 1, enabled: true, language: 'zh', format: 'blockbeats' },
];

const sourceBase = { enabled: z.boolean().default(true) };

export const ConfigSchema = z.object({
  /** The brief's name: the part of the title before "|". */
  briefName: z.string().min(1).default('Morning Brief'),
  /** The default edition language (BCP 47, e.g. "en", "zh"). */
  language: language.default('en'),
  /** SQLite file. */
  db: z.string().min(1).default('./data/morning-brief.db'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** auto: readable lines on a terminal, JSON lines otherwise; pretty or json forces one. */
  logFormat: z.enum(['auto', 'pretty', 'json']).default('auto'),
  sources: z
    .object({
      /** Per-source timeout. */
      timeoutMs: positiveMs.default(10_000),
      /** Overall deadline for one collection; sources still running then are recorded as timed out. */
      deadlineMs: positiveMs.default(25_000),
      /** Retries for 429/5xx (each waits `Retry-After` or an exponential backoff). */
      retries: z.number().int().min(0).max(5).default(2),
      userAgent: z.string().default('morning-brief/0.1 (+https://github.com/morning-brief)'),
      coingecko: z
        .object({
          ...sourceBase,
          url: url.default('https://api.coingecko.com/api/v3'),
          /** Optional demo key, sent as `x-cg-demo-api-key`. */
          apiKey: z.string().min(1).optional(),
          coins: z.array(CoinSchema).min(1).default(DEFAULT_COINS),
        })
        .prefault({}),
      binance: z.object({ ...sourceBase, url: url.default('https://api.binance.com') }).prefault({}),
      fearGreed: z.object({ ...sourceBase, url: url.default('https://api.alternative.me/fng/') }).prefault({}),
      fred: z
        .object({
          ...sourceBase,
          url: url.default('https://fred.stlouisfed.org/graph/fredgraph.csv'),
          fedFundsSeries: z.string().default('DFF'),
          tenYearSeries: z.string().default('DGS10'),
        })
        .prefault({}),
      polymarket: z
        .object({
          ...sourceBase,
          url: url.default('https://gamma-api.polymarket.com'),
          /** Words a market's question must contain to count as an FOMC decision market. */
          match: z.string().default('Fed'),
        })
        .prefault({}),
      etfFlows: z
        .object({
          ...sourceBase,
          btcUrl: url.default('https://farside.co.uk/btc/'),
          ethUrl: url.default('https://farside.co.uk/eth/'),
        })
        .prefault({}),
      feeds: z.array(FeedConfigSchema).default(DEFAULT_FEEDS),
    })
    .prefault({}),
  stories: z
    .object({
      /** Headlines older than this are ignored. */
      maxAgeHours: z.number().positive().default(36),
      /** How many past briefs count as "already covered". */
      recentBriefs: z.number().int().min(0).default(2),
    })
    .prefault({}),
  /** How old a figure may be and still be written as current (see src/writers/freshness.ts). */
  freshness: z
    .object({
      pricesMinutes: z.number().positive().default(DEFAULT_FRESHNESS.pricesMinutes),
      fearGreedHours: z.number().positive().default(DEFAULT_FRESHNESS.fearGreedHours),
      fredBusinessDays: z.number().int().min(0).default(DEFAULT_FRESHNESS.fredBusinessDays),
      etfFlowDays: z.number().int().min(0).default(DEFAULT_FRESHNESS.etfFlowDays),
      fomcOddsMinutes: z.number().positive().default(DEFAULT_FRESHNESS.fomcOddsMinutes),
    })
    .prefault({}),
  llm: z
    .object({
      /** No key: the extractive writer writes every brief. */
      apiKey: z.string().min(1).optional(),
      baseUrl: url.optional(),
      model: z.string().min(1).default('gpt-4o-mini'),
      temperature: z.number().min(0).max(2).default(0.2),
      maxTokens: z.number().int().positive().default(1200),
      timeoutMs: positiveMs.default(60_000),
      maxRetries: z.number().int().min(0).max(10).default(2),
      /** `json_schema` where the server supports it, `json_object` + zod where it does not. */
      responseFormat: z.enum(['json_schema', 'json_object']).default('json_schema'),
      /** US$ per million tokens, for the cost column in `history`. */
      priceInPerMTok: z.number().nonnegative().optional(),
      priceOutPerMTok: z.number().nonnegative().optional(),
      /** How many ranked stories the prompt carries at most (bounds prompt size). */
      maxStories: z.number().int().positive().default(24),
      /** Longest story summary the prompt carries, in characters (bounds prompt size too). */
      summaryChars: z.number().int().positive().default(280),
      /** OpenAI's newer models want `max_completion_tokens`; most compatible servers know `max_tokens`. */
      maxTokensParam: z.enum(['max_tokens', 'max_completion_tokens']).default('max_tokens'),
      promptsDir: z.string().default('prompts'),
    })
    .prefault({}),
  telegram: z
    .object({
      botToken: z.string().min(1).optional(),
      apiRoot: url.default('https://api.telegram.org'),
      /** Numeric user ids allowed to run /broadcast and /stats. */
      adminIds: z.array(z.number().int()).default([]),
      /** Public HTTPS URL for webhook mode; empty means long polling. */
      webhookUrl: url.optional(),
      webhookPath: z.string().default('/telegram/webhook'),
      /** Telegram's secret_token: 1-256 of A-Z a-z 0-9 _ -. Unset: a random one is made at each start. */
      webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters from A-Z, a-z, 0-9, "_" and "-" (Telegram\'s rule)').optional(),
      messagesPerSecond: z.number().positive().default(30),
      paidBroadcast: z.boolean().default(false),
      perChatPerSecond: z.number().positive().default(1),
      perGroupPerMinute: z.number().positive().default(20),
      briefCooldownSeconds: z.number().int().min(0).max(86_400, 'at most 86400 seconds (a day)').default(60),
      /** The overall rate with `allow_paid_broadcast` (0.1 Stars a message). */
      paidMessagesPerSecond: z.number().positive().default(1000),
      /** One Bot API call may take this long before it counts as a network failure. */
      requestTimeoutMs: positiveMs.default(30_000),
      /** Longest a /brief reply waits for the stored brief before saying "try again". */
      briefWaitMs: positiveMs.default(5_000),
    })
    .prefault({}),
  discord: z
    .object({
      botToken: z.string().min(1).optional(),
      applicationId: z.string().min(1).optional(),
      apiRoot: url.default('https://discord.com/api'),
      /** Webhook URLs that always get the brief, in addition to subscribers. */
      webhooks: z.array(url).default([]),
      messagesPerSecond: z.number().positive().default(40),
      /** One Discord API call (bot or webhook) before it counts as a network failure. */
      requestTimeoutMs: positiveMs.default(15_000),
      /** User ids (snowflakes) allowed to run the /broadcast operator command. */
      adminIds: z.array(z.string().regex(/^\d{15,21}$/, 'a Discord user id (digits)')).default([]),
    })
    .prefault({}),
  delivery: z
    .object({
      /** Attempts for 5xx/network errors before a send is recorded as failed. */
      maxAttempts: z.number().int().positive().default(5),
      /** Default local delivery time and zone for new subscribers. */
      defaultTime: localTime.default('07:30'),
      defaultTimezone: timeZone.default('UTC'),
      /** A brief is reused for an edition while younger than this. */
      freshMinutes: z.number().int().positive().max(1440, 'at most 1440 minutes (a day)').default(90),
      /** Missed deliveries within this window are caught up at start. */
      graceHours: z.number().positive().max(24, 'at most 24 hours (the scheduler looks back one local day)').default(3),
      /** Sends held at once (claimed and waiting for the limiter or the API). */
      maxInFlight: z.number().int().positive().default(64),
      /** Use this fraction of each platform limit's count (the limiter's measured time margin covers jitter). */
      headroom: z.number().positive().max(1).default(1),
      /** Ms added to every rate window for the delay until a platform counts a request (measured; see bench:fanout). */
      windowMarginMs: z.number().nonnegative().max(250, 'at most 250 ms').default(25),
      /** First retry wait after a 5xx/network error; doubles per attempt. */
      retryBaseMs: positiveMs.default(2_000),
      /**
       * A send a killed process left unrecorded may have been delivered: 'resend' never loses
       * a brief (at worst one duplicate), 'skip' never doubles one (at worst one lost).
       */
      ambiguousPolicy: z.enum(['resend', 'skip']).default('resend'),
      /** How often `serve` drains the outbox besides the scheduler's ticks. */
      pollMs: positiveMs.default(30_000),
      /**
       * Editions written ahead of delivery at a local time, so the first subscribers of the
       * morning do not wait for the gathering; other languages are written on first demand.
       */
      editions: z
        .array(
          z.object({
            time: localTime,
            timezone: timeZone,
            language,
          }),
        )
        .default([]),
    })
    .prefault({}),
  /** Operator alerts (src/alerts/): where they go and when; never sent to subscribers. */
  alerts: z
    .object({
      /** Telegram chat ids (admin chats) that get alerts, sent with the bot token. */
      telegramChats: z.array(z.string().regex(/^-?\d{1,20}$/, 'a numeric Telegram chat id')).default([]),
      /** A Discord webhook URL that gets alerts (works while the Telegram token does not). */
      discordWebhookUrl: url.optional(),
      /** A source failing on this many mornings (days) in a row is alerted; again when it recovers. */
      sourceFailedMornings: z.number().int().positive().default(3),
      /** The LLM writer falling back to the extractive one on this many briefs in a row is alerted. */
      llmFallbackBriefs: z.number().int().positive().default(3),
      /** A delivery failing for more than this percent of its subscribers is alerted. */
      deliveryFailedPercent: z.number().min(0).max(100).default(20),
      /** The same alert is not repeated within this many minutes. */
      repeatMinutes: z.number().int().positive().default(360),
      /** At most this many alerts an hour in all; the rest are counted and logged only. */
      maxPerHour: z.number().int().positive().default(20),
    })
    .prefault({}),
  /** The market card (src/card/) before the brief on Telegram and Discord; the archive always shows it. */
  card: z
    .object({
      /** On unless CARD_ENABLED=false (a subscriber can still say /card off). */
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  server: z
    .object({
      port: z.number().int().min(0).max(65535).default(8080),
      host: z.string().default('0.0.0.0'),
      /** Bearer token for POST /trigger; unset turns the endpoint off. */
      triggerToken: z.string().min(16, 'at least 16 characters').optional(),
      publicUrl: url.optional(),
    })
    .prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;

type EnvType = 'string' | 'number' | 'boolean' | 'coins' | 'list' | 'numbers';

/** Environment variables and the config path each one sets. */
export const ENV_PATHS: Record<string, { path: string[]; type: EnvType }> = {
  BRIEF_NAME: { path: ['briefName'], type: 'string' },
  BRIEF_LANGUAGE: { path: ['language'], type: 'string' },
  MORNING_BRIEF_DB: { path: ['db'], type: 'string' },
  LOG_LEVEL: { path: ['logLevel'], type: 'string' },
  LOG_FORMAT: { path: ['logFormat'], type: 'string' },
  SOURCE_TIMEOUT_MS: { path: ['sources', 'timeoutMs'], type: 'number' },
  SOURCE_DEADLINE_MS: { path: ['sources', 'deadlineMs'], type: 'number' },
  SOURCE_RETRIES: { path: ['sources', 'retries'], type: 'number' },
  COINGECKO_ENABLED: { path: ['sources', 'coingecko', 'enabled'], type: 'boolean' },
  COINGECKO_URL: { path: ['sources', 'coingecko', 'url'], type: 'string' },
  COINGECKO_DEMO_API_KEY: { path: ['sources', 'coingecko', 'apiKey'], type: 'string' },
  COINS: { path: ['sources', 'coingecko', 'coins'], type: 'coins' },
  BINANCE_ENABLED: { path: ['sources', 'binance', 'enabled'], type: 'boolean' },
  BINANCE_URL: { path: ['sources', 'binance', 'url'], type: 'string' },
  FEAR_GREED_ENABLED: { path: ['sources', 'fearGreed', 'enabled'], type: 'boolean' },
  FEAR_GREED_URL: { path: ['sources', 'fearGreed', 'url'], type: 'string' },
  FRED_ENABLED: { path: ['sources', 'fred', 'enabled'], type: 'boolean' },
  FRED_URL: { path: ['sources', 'fred', 'url'], type: 'string' },
  POLYMARKET_ENABLED: { path: ['sources', 'polymarket', 'enabled'], type: 'boolean' },
  POLYMARKET_URL: { path: ['sources', 'polymarket', 'url'], type: 'string' },
  ETF_FLOWS_ENABLED: { path: ['sources', 'etfFlows', 'enabled'], type: 'boolean' },
  ETF_FLOWS_BTC_URL: { path: ['sources', 'etfFlows', 'btcUrl'], type: 'string' },
  ETF_FLOWS_ETH_URL: { path: ['sources', 'etfFlows', 'ethUrl'], type: 'string' },
  FRESH_PRICES_MINUTES: { path: ['freshness', 'pricesMinutes'], type: 'number' },
  FRESH_FEAR_GREED_HOURS: { path: ['freshness', 'fearGreedHours'], type: 'number' },
  FRESH_FRED_BUSINESS_DAYS: { path: ['freshness', 'fredBusinessDays'], type: 'number' },
  FRESH_ETF_FLOW_DAYS: { path: ['freshness', 'etfFlowDays'], type: 'number' },
  FRESH_FOMC_ODDS_MINUTES: { path: ['freshness', 'fomcOddsMinutes'], type: 'number' },
  OPENAI_API_KEY: { path: ['llm', 'apiKey'], type: 'string' },
  OPENAI_BASE_URL: { path: ['llm', 'baseUrl'], type: 'string' },
  OPENAI_MODEL: { path: ['llm', 'model'], type: 'string' },
  LLM_TEMPERATURE: { path: ['llm', 'temperature'], type: 'number' },
  LLM_MAX_TOKENS: { path: ['llm', 'maxTokens'], type: 'number' },
  LLM_TIMEOUT_MS: { path: ['llm', 'timeoutMs'], type: 'number' },
  LLM_RESPONSE_FORMAT: { path: ['llm', 'responseFormat'], type: 'string' },
  LLM_PRICE_IN_PER_MTOK: { path: ['llm', 'priceInPerMTok'], type: 'number' },
  LLM_PRICE_OUT_PER_MTOK: { path: ['llm', 'priceOutPerMTok'], type: 'number' },
  LLM_MAX_RETRIES: { path: ['llm', 'maxRetries'], type: 'number' },
  LLM_MAX_STORIES: { path: ['llm', 'maxStories'], type: 'number' },
  LLM_PROMPTS_DIR: { path: ['llm', 'promptsDir'], type: 'string' },
  TELEGRAM_BOT_TOKEN: { path: ['telegram', 'botToken'], type: 'string' },
  TELEGRAM_API_ROOT: { path: ['telegram', 'apiRoot'], type: 'string' },
  TELEGRAM_ADMIN_IDS: { path: ['telegram', 'adminIds'], type: 'numbers' },
  TELEGRAM_WEBHOOK_URL: { path: ['telegram', 'webhookUrl'], type: 'string' },
  TELEGRAM_WEBHOOK_SECRET: { path: ['telegram', 'webhookSecret'], type: 'string' },
  TELEGRAM_MESSAGES_PER_SECOND: { path: ['telegram', 'messagesPerSecond'], type: 'number' },
  TELEGRAM_PAID_BROADCAST: { path: ['telegram', 'paidBroadcast'], type: 'boolean' },
  TELEGRAM_BRIEF_COOLDOWN_SECONDS: { path: ['telegram', 'briefCooldownSeconds'], type: 'number' },
  DELIVERY_MAX_ATTEMPTS: { path: ['delivery', 'maxAttempts'], type: 'number' },
  CARD_ENABLED: { path: ['card', 'enabled'], type: 'boolean' },
  DELIVERY_AMBIGUOUS_POLICY: { path: ['delivery', 'ambiguousPolicy'], type: 'string' },
  DELIVERY_WINDOW_MARGIN_MS: { path: ['delivery', 'windowMarginMs'], type: 'number' },
  DISCORD_BOT_TOKEN: { path: ['discord', 'botToken'], type: 'string' },
  DISCORD_APPLICATION_ID: { path: ['discord', 'applicationId'], type: 'string' },
  DISCORD_API_ROOT: { path: ['discord', 'apiRoot'], type: 'string' },
  DISCORD_WEBHOOK_URLS: { path: ['discord', 'webhooks'], type: 'list' },
  DISCORD_MESSAGES_PER_SECOND: { path: ['discord', 'messagesPerSecond'], type: 'number' },
  DISCORD_ADMIN_IDS: { path: ['discord', 'adminIds'], type: 'list' },
  DEFAULT_DELIVERY_TIME: { path: ['delivery', 'defaultTime'], type: 'string' },
  DEFAULT_TIMEZONE: { path: ['delivery', 'defaultTimezone'], type: 'string' },
  BRIEF_FRESH_MINUTES: { path: ['delivery', 'freshMinutes'], type: 'number' },
  CATCH_UP_GRACE_HOURS: { path: ['delivery', 'graceHours'], type: 'number' },
  ALERT_TELEGRAM_CHATS: { path: ['alerts', 'telegramChats'], type: 'list' },
  ALERT_DISCORD_WEBHOOK_URL: { path: ['alerts', 'discordWebhookUrl'], type: 'string' },
  ALERT_SOURCE_FAILED_MORNINGS: { path: ['alerts', 'sourceFailedMornings'], type: 'number' },
  ALERT_LLM_FALLBACK_BRIEFS: { path: ['alerts', 'llmFallbackBriefs'], type: 'number' },
  ALERT_DELIVERY_FAILED_PERCENT: { path: ['alerts', 'deliveryFailedPercent'], type: 'number' },
  ALERT_REPEAT_MINUTES: { path: ['alerts', 'repeatMinutes'], type: 'number' },
  ALERT_MAX_PER_HOUR: { path: ['alerts', 'maxPerHour'], type: 'number' },
  PORT: { path: ['server', 'port'], type: 'number' },
  HOST: { path: ['server', 'host'], type: 'string' },
  TRIGGER_TOKEN: { path: ['server', 'triggerToken'], type: 'string' },
  PUBLIC_URL: { path: ['server', 'publicUrl'], type: 'string' },
};

/** Thrown for a config that does not validate; carries every problem at once. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Env strings become the schema's types; a value that cannot convert is left as the string so zod names it. */
function convertEnv(raw: string, type: EnvType): unknown {
  switch (type) {
    case 'string':
      return raw;
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return raw;
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    case 'numbers':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => (Number.isInteger(Number(s)) ? Number(s) : s));
    case 'coins':
      // "bitcoin:BTC,ethereum:ETH" (name defaults to the symbol)
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((entry) => {
          const [id = '', symbol = '', name] = entry.split(':');
          return { id, symbol, name: name ?? symbol };
        });
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

export interface LoadConfigOptions {
  env: NodeJS.ProcessEnv;
  /** Path of a JSON config file; defaults to MORNING_BRIEF_CONFIG. */
  configPath?: string | undefined;
  /** Reads the config file; injectable for tests. */
  readFile?: (path: string) => string;
}

/**
 * Builds the config: defaults, then the JSON file, then the environment on top.
 * @example const config = loadConfig({ env: process.env, configPath: opts.config });
 */
export function loadConfig(options: LoadConfigOptions): Readonly<Config> {
  const { env } = options;
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const problems: string[] = [];
  let fromFile: Record<string, unknown> = {};
  const configPath = options.configPath ?? env.MORNING_BRIEF_CONFIG;
  if (configPath) {
    try {
      const parsed: unknown = JSON.parse(readFile(configPath));
      if (isPlainObject(parsed)) fromFile = parsed;
      else problems.push(`${configPath}: the config file must hold a JSON object`);
    } catch (err) {
      problems.push(`${configPath}: ${(err as Error).message}`);
    }
  }

  const fromEnv: Record<string, unknown> = {};
  const envByPath = new Map<string, string>();
  for (const [name, { path, type }] of Object.entries(ENV_PATHS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(fromEnv, path, convertEnv(raw, type));
    envByPath.set(path.join('.'), name);
  }

  const result = ConfigSchema.safeParse(deepMerge(fromFile, fromEnv));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.');
      const envName = [...envByPath.entries()].find(([p]) => path === p || path.startsWith(`${p}.`))?.[1];
      problems.push(`${path || '(root)'}${envName ? ` (${envName})` : ''}: ${issue.message}`);
    }
  }
  // zod drops keys it does not know: a typo ("briefname") would be ignored without a word.
  if (result.success) problems.push(...unknownKeys(fromFile, result.data).map((p) => `${p}: unknown setting${configPath ? ` in ${configPath}` : ''}`));
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(result.data!);
}

/** Paths in the file that the parsed config does not have; "_comment" and "$schema" keys are allowed. */
function unknownKeys(raw: unknown, parsed: unknown, path: string[] = []): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) return raw.flatMap((r, i) => unknownKeys(r, parsed[i], [...path, String(i)]));
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return [];
  return Object.keys(raw).flatMap((key) => {
    if (/^[_$]/.test(key)) return [];
    if (!(key in parsed)) return [[...path, key].join('.')];
    return unknownKeys(raw[key], parsed[key], [...path, key]);
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
