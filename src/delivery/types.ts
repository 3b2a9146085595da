/**
 * The contract between the delivery engine and a platform adapter (Telegram, Discord, ...).
 * An adapter knows how to send one brief to one chat and what an error means; the engine
 * owns pacing, retries, the outbox and crash safety.
 */
import type { Brief } from '../domain.ts';
import type { Subscriber } from '../store/subscribers.ts';
import type { LimiterRules } from './limiter.ts';

/** What an error from a send means. */
export type ErrorClass =
  /** Try again later (5xx, network, timeout); counts toward `delivery.maxAttempts`. */
  | { kind: 'retry'; afterMs: number }
  /**
   * 429: wait `afterMs` (every chat when `global`, else just this one), then send again.
   * `scopeKnown: false`: the platform does not say which limit was hit; the limiter guesses.
   */
  | { kind: 'rate_limited'; afterMs: number; global: boolean; scopeKnown?: boolean }
  /** The chat will never take our messages (blocked, kicked, deleted): deactivate, never retry. */
  | { kind: 'gone'; reason: string }
  /** The chat moved (Telegram group -> supergroup): update the id and resend. */
  | { kind: 'migrate'; newChatId: string }
  /** Retrying cannot help (our payload is wrong). `global`: nothing else can be sent either (bad token). */
  | { kind: 'fatal'; reason: string; global?: boolean };

/** Hooks the engine passes to `send`, so a multi-message brief is paced and crash-safe per message. */
export interface SendContext {
  /** Ids of messages an earlier attempt already delivered: resume after them. */
  readonly delivered: readonly string[];
  /**
   * Await before each message after the first one this call sends (the engine already
   * waited for the first): it waits for the limiter and records that a send is starting.
   */
  beforeNext(): Promise<void>;
  /** Call as soon as a message is accepted, before sending the next one. */
  onDelivered(messageId: string): void;
  /** Aborts waits when the worker stops. */
  readonly signal?: AbortSignal;
  /** The stored brief's id (its market card and uploaded photo are per brief). */
  readonly briefId?: number;
}

export interface DeliveryAdapter {
  /** Matches `subscribers.platform`. */
  readonly platform: string;
  /** The platform's rate limits; the engine's defaults (Telegram's) when absent. */
  readonly limits?: Partial<LimiterRules>;
  /** Whether a chat counts as a group for the per-group limit (default: kind is not 'private'). */
  isGroup?(subscriber: Subscriber): boolean;
  /**
   * Sends the brief (one or more messages) to the subscriber's chat; resolves with every
   * message id, including `ctx.delivered`.
   * @example await adapter.send(subscriber, brief, ctx) // { messageIds: ['101', '102'] }
   */
  send(subscriber: Subscriber, brief: Brief, ctx: SendContext): Promise<{ messageIds: string[] }>;
  classify(error: unknown): ErrorClass;
}

/** One platform's share of a drain (`failed` excludes `dropped`, as in the totals). */
export interface PlatformCounts {
  sent: number;
  failed: number;
  dropped: number;
  retried: number;
  rateLimited: number;
}

export interface DeliveryReport {
  /** Rows delivered in this drain. */
  sent: number;
  /** Chats found gone (subscriber deactivated). */
  dropped: number;
  /** Rows given up on (attempts exhausted or a fatal error). */
  failed: number;
  /** Attempts that will be retried (5xx, network). */
  retried: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Chats moved to a new id and resent. */
  migrated: number;
  /**
   * Rows left mid-send by a stopped process (see recoverAbandoned): for one brief's drain,
   * every such row of that brief in the database (earlier crashes included); otherwise the
   * rows this drain recovered.
   */
  ambiguous: number;
  /** Messages (parts) accepted by the platform. */
  messages: number;
  durationMs: number;
  /** Why the drain stopped early (a global fatal error such as a rejected token), if it did. */
  aborted: string | null;
  /** The same counts by `subscribers.platform` (only platforms that saw a row), for metrics. */
  byPlatform: Record<string, PlatformCounts>;
}
