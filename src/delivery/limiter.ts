/**
 * Paces sends to a platform's published limits before the platform has to say 429:
 * an overall rate (slots spaced evenly, no bursts), at most N per second to one chat, and at
 * most M per minute to one group. Aims a little under each limit (`headroom`) so network
 * jitter between our clock and the server's cannot push a window over. Clock and sleep are
 * injected, so tests can run it on a fake clock.
 */

export interface LimiterRules {
  /** Messages per second across all chats (Telegram: 30; 1000 with paid broadcasts). */
  globalPerSecond: number;
  /** Messages per second to one chat (Telegram: 1). */
  perChatPerSecond: number;
  /** Messages per minute to one group, supergroup or channel (Telegram: 20). */
  perGroupPerMinute: number;
  /** Fraction of each limit to aim for, 0-1 (0.95 leaves 5% for jitter). */
  headroom: number;
}

export const TELEGRAM_LIMITS: LimiterRules = Object.freeze({
  globalPerSecond: 30,
  perChatPerSecond: 1,
  perGroupPerMinute: 20,
  headroom: 0.95,
});

export interface LimiterClock {
  /** Milliseconds, any epoch. */
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface LimiterStats {
  granted: number;
  globalPauses: number;
  chatPauses: number;
}

const MINUTE = 60_000;

/**
 * @example
 * const limiter = new Limiter(TELEGRAM_LIMITS, { now: Date.now, sleep });
 * await limiter.acquire('123', false); // then send one message to chat 123
 */
export class Limiter {
  readonly rules: LimiterRules;
  private readonly globalInterval: number;
  private readonly chatInterval: number;
  private readonly groupMax: number;
  private readonly windowMax: number;
  /** Grant times of the last second: late timers must not squeeze more than the rate into one. */
  private readonly recent: number[] = [];
  /** Times requests went on the wire (see onWire). */
  private readonly wire: number[] = [];
  private nextSlot = 0;
  /** Bumped by a global pause: slots reserved before it are void. */
  private epoch = 0;
  private pausedUntil = 0;
  private readonly lastSend = new Map<string, number>();
  private readonly groupSends = new Map<string, number[]>();
  private readonly chatPausedUntil = new Map<string, number>();
  readonly stats: LimiterStats = { granted: 0, globalPauses: 0, chatPauses: 0 };

  constructor(rules: LimiterRules, private readonly clock: LimiterClock) {
    for (const [k, v] of Object.entries(rules)) {
      if (!(typeof v === 'number' && v > 0)) throw new RangeError(`limiter rule ${k} must be a positive number`);
    }
    if (rules.headroom > 1) throw new RangeError('limiter headroom must be at most 1');
    this.rules = { ...rules };
    this.globalInterval = 1000 / (rules.globalPerSecond * rules.headroom);
    this.chatInterval = 1000 / (rules.perChatPerSecond * rules.headroom);
    this.groupMax = Math.max(1, Math.floor(rules.perGroupPerMinute * rules.headroom));
    this.windowMax = Math.max(1, Math.floor(rules.globalPerSecond * rules.headroom));
  }

  /**
   * Resolves when one message may go to `chat`. Callers must not run two acquires for the
   * same chat at once (the worker sends to one chat at a time, in order).
   */
  async acquire(chat: string, isGroup: boolean, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      // First wait for the chat itself, outside the global queue, so a busy chat does not
      // hold a global slot other chats could use.
      const ready = Math.max(this.pausedUntil, this.chatReadyAt(chat, isGroup, now));
      if (ready > now) {
        await this.clock.sleep(ready - now, signal);
        continue;
      }
      const epoch = this.epoch;
      const slot = Math.max(now, this.nextSlot);
      this.nextSlot = slot + this.globalInterval;
      if (slot > now) await this.clock.sleep(slot - now, signal);
      // Timers fire late under load, and late-then-on-time grants would bunch: also hold
      // the count in any rolling second to the rate.
      const full = this.windowFullUntil(this.clock.now());
      if (full > this.clock.now()) await this.clock.sleep(full - this.clock.now(), signal);
      if (epoch !== this.epoch || this.pausedUntil > this.clock.now()) continue;
      // A stop that came while we slept wins over the slot (the sleep may not watch the signal).
      signal?.throwIfAborted();
      const at = this.clock.now();
      this.recent.push(at);
      this.record(chat, isGroup, at);
      this.stats.granted++;
      return;
    }
  }

  /**
   * Call right before the request goes on the wire, after any work done between the grant
   * and the send (the worker commits a crash mark there): holds the count of requests
   * actually sent in any rolling second to the rate, whatever delays came in between.
   */
  async onWire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      // A 429 that arrived since the grant holds this request too.
      if (this.pausedUntil > now) {
        await this.clock.sleep(this.pausedUntil - now, signal);
        continue;
      }
      let drop = 0;
      while (drop < this.wire.length && this.wire[drop]! <= now - 1000) drop++;
      if (drop > 0) this.wire.splice(0, drop);
      signal?.throwIfAborted();
      if (this.wire.length < this.windowMax) {
        this.wire.push(now);
        return;
      }
      await this.clock.sleep(this.wire[this.wire.length - this.windowMax]! + 1000 - now, signal);
    }
  }

  /** The platform said 429 for everything: nobody sends until `ms` from now. */
  pauseAll(ms: number): void {
    const until = this.clock.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.nextSlot = until;
    this.epoch++;
    this.stats.globalPauses++;
  }

  /** The platform said 429 for one chat. */
  pauseChat(chat: string, ms: number): void {
    const until = this.clock.now() + ms;
    if (until > (this.chatPausedUntil.get(chat) ?? 0)) this.chatPausedUntil.set(chat, until);
    this.stats.chatPauses++;
  }

  private windowFullUntil(now: number): number {
    let drop = 0;
    while (drop < this.recent.length && this.recent[drop]! <= now - 1000) drop++;
    if (drop > 0) this.recent.splice(0, drop);
    return this.recent.length >= this.windowMax ? this.recent[this.recent.length - this.windowMax]! + 1000 : 0;
  }

  private chatReadyAt(chat: string, isGroup: boolean, now: number): number {
    let ready = this.chatPausedUntil.get(chat) ?? 0;
    const last = this.lastSend.get(chat);
    if (last !== undefined) ready = Math.max(ready, last + this.chatInterval);
    if (isGroup) {
      const sends = this.pruned(chat, now);
      if (sends.length >= this.groupMax) ready = Math.max(ready, sends[sends.length - this.groupMax]! + MINUTE / this.rules.headroom);
    }
    return ready;
  }

  private pruned(chat: string, now: number): number[] {
    const sends = this.groupSends.get(chat) ?? [];
    const horizon = now - MINUTE / this.rules.headroom;
    while (sends.length > 0 && sends[0]! <= horizon) sends.shift();
    return sends;
  }

  private record(chat: string, isGroup: boolean, at: number): void {
    this.lastSend.set(chat, at);
    if (isGroup) {
      const sends = this.pruned(chat, at);
      sends.push(at);
      this.groupSends.set(chat, sends);
    }
    // Forget chats idle longer than any window, so a 100k-chat broadcast does not keep them all.
    if (this.lastSend.size > 20_000) {
      const horizon = at - MINUTE * 2;
      for (const [key, t] of this.lastSend) {
        if (t < horizon) {
          this.lastSend.delete(key);
          this.groupSends.delete(key);
          this.chatPausedUntil.delete(key);
        }
      }
    }
  }
}
