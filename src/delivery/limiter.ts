/**
 * Paces sends to a platform's limits the way the platform counts them: over sliding windows,
 * at the moment its server sees each request. Two gates:
 *
 * - `acquire` (before the worker commits its crash mark): waits for the chat's own limits and
 *   takes an evenly spaced slot, so only a few rows sit between grant and wire.
 * - `onWire` (right before the request leaves): the authoritative gate. It keeps a log of the
 *   times requests actually went out and lets one go only when no window of the limit's length
 *   plus a margin would hold more than the limit, and no sooner than the even spacing allows
 *   (with a little tolerance to make up for late timers, never closer than half a spacing at
 *   low rates). Late timers, a database commit or an event-loop stall never let a clump out.
 *
 * The margin covers what we cannot see: how much later than our send start the server counts
 * a request (network jitter, its queues). Its default was chosen by measurement against the
 * bench's strict fakes (`npm run bench:fanout -- --margin N`, see README); every 429 widens it
 * for the rest of the process. Clock and sleep are injected, so tests run it on a fake clock.
 */
import { TimeLog } from './time-log.ts';

export interface LimiterRules {
  /** Messages per second across all chats (Telegram: 30; 1000 with paid broadcasts). */
  globalPerSecond: number;
  /** Messages per second to one chat (Telegram: 1). */
  perChatPerSecond: number;
  /** Messages per minute to one group, supergroup or channel (Telegram: 20). */
  perGroupPerMinute: number;
  /** Fraction of each limit's count to use, 0-1 (the time margin already covers jitter). */
  headroom: number;
  /** Ms added to every window for the delay between our send start and the server's count (default 25). */
  marginMs?: number;
}

export const TELEGRAM_LIMITS: LimiterRules = Object.freeze({
  globalPerSecond: 30,
  perChatPerSecond: 1,
  perGroupPerMinute: 20,
  headroom: 1,
});

export interface LimiterClock {
  /** Milliseconds, any epoch. */
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface LimiterStats {
  granted: number;
  wire: number;
  globalPauses: number;
  chatPauses: number;
  /** The margin now in force (ms). */
  marginMs: number;
}

const SECOND = 1000;
const MINUTE = 60_000;
/** See the header: the smallest margin that gave no 429 in the bench, with room to spare. */
export const DEFAULT_MARGIN_MS = 25;
/** A 429 widens the margin by this much, up to the maximum. */
const MARGIN_STEP_MS = 25;
const MAX_MARGIN_MS = 250;
/** Sends may go this much ahead of the even spacing at least (timers cannot hit a 1 ms spacing). */
const BURST_MS = 20;

interface WireWaiter {
  chat: string;
  isGroup: boolean;
  resolve: (at: number) => void;
}

/**
 * @example
 * const limiter = new Limiter(TELEGRAM_LIMITS, { now: Date.now, sleep });
 * await limiter.acquire('123', false);           // the chat's turn and a global slot
 * await limiter.onWire('123', false);           // then send
 */
export class Limiter {
  readonly rules: LimiterRules;
  readonly stats: LimiterStats;
  private readonly globalMax: number;
  private readonly groupMax: number;
  private readonly wireLog = new TimeLog();
  /** Raised by each 429: the platform counted tighter than we allowed for. */
  private learnedMarginMs = 0;
  /** Grants not yet at `onWire` (rows being marked 'sending'). */
  private ahead = 0;
  private readonly maxAhead: number;
  private readonly roomWaiters: (() => void)[] = [];
  /** Theoretical time of the next wire start (GCRA). */
  private nextWire = 0;
  private pausedUntil = 0;
  private readonly lastWire = new Map<string, number>();
  private readonly groupLogs = new Map<string, TimeLog>();
  private readonly chatPausedUntil = new Map<string, number>();
  private readonly waiters: WireWaiter[] = [];
  private pumpAt = Infinity;

  constructor(rules: LimiterRules, private readonly clock: LimiterClock) {
    for (const [k, v] of Object.entries(rules)) {
      if (k === 'marginMs' ? !(typeof v === 'number' && v >= 0) : !(typeof v === 'number' && v > 0)) {
        throw new RangeError(`limiter rule ${k} must be a positive number`);
      }
    }
    if (rules.headroom > 1) throw new RangeError('limiter headroom must be at most 1');
    this.rules = { ...rules };
    this.globalMax = Math.max(1, Math.floor(rules.globalPerSecond * rules.headroom));
    this.groupMax = Math.max(1, Math.floor(rules.perGroupPerMinute * rules.headroom));
    // Enough to keep the wire busy through a commit and its fsync (100 ms of sends at high
    // rates); at low rates one is enough, as the commit is shorter than the spacing.
    this.maxAhead = rules.globalPerSecond >= 100 ? Math.ceil(rules.globalPerSecond / 10) : 1;
    this.stats = { granted: 0, wire: 0, globalPauses: 0, chatPauses: 0, marginMs: this.margin() };
  }

  /** Ms added to every window: the rules' (or the default) plus what 429s taught. */
  margin(): number {
    return Math.min(MAX_MARGIN_MS, (this.rules.marginMs ?? DEFAULT_MARGIN_MS) + this.learnedMarginMs);
  }

  /** Least time between two sends: the window (with margin) shared evenly by its limit. */
  private spacing(): number {
    return (SECOND + this.margin()) / this.globalMax;
  }

  /**
   * Resolves when one message may go to `chat` and the wire gate has room for it. Callers must
   * not run two acquires for the same chat at once (the worker sends to one chat at a time, in
   * order), and must follow each grant with `onWire` (or `cancelGrant`).
   */
  async acquire(chat: string, isGroup: boolean, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      // The chat first, outside the queue: a busy chat holds no place others could use.
      const ready = Math.max(this.pausedUntil, this.chatReadyAt(chat, isGroup));
      if (ready > now) {
        await this.clock.sleep(ready - now, signal);
        continue;
      }
      // Only a few grants ahead of the wire: each one is a row marked 'sending', which a kill
      // would leave ambiguous. The rest wait here, unmarked.
      if (this.roomWaiters.length === 0 && this.ahead + this.waiters.length < this.maxAhead) this.ahead++;
      else await this.untilRoom(signal);
      this.stats.granted++;
      return;
    }
  }

  /** Gives back a grant that will not reach `onWire` (its crash mark could not be written). */
  cancelGrant(): void {
    if (this.ahead > 0) this.ahead--;
    this.notifyRoom();
  }

  /** Resolves once a place ahead of the wire is handed over (already counted in `ahead`). */
  private untilRoom(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.roomWaiters.indexOf(take);
        if (i >= 0) this.roomWaiters.splice(i, 1);
        reject(signal!.reason);
      };
      const take = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.roomWaiters.push(take);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private notifyRoom(): void {
    while (this.roomWaiters.length > 0 && this.ahead + this.waiters.length < this.maxAhead) {
      this.ahead++;
      this.roomWaiters.shift()!();
    }
  }

  /**
   * Await right before the request goes on the wire (after any work between grant and send,
   * such as the crash mark's commit). Resolves with the send's start time as logged.
   */
  onWire(chat: string, isGroup: boolean, signal?: AbortSignal): Promise<number> {
    // The grant arrives: from here it waits in the queue (or leaves at once).
    if (this.ahead > 0) this.ahead--;
    if (signal?.aborted) {
      this.notifyRoom();
      return Promise.reject(signal.reason);
    }
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        this.notifyRoom();
        reject(signal!.reason);
      };
      const waiter: WireWaiter = {
        chat,
        isGroup,
        resolve: (at) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(at);
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pump();
    });
  }

  /** The platform said 429 for everything: nobody sends until `ms` from now, then evenly again. */
  pauseAll(ms: number): void {
    this.tighten();
    const until = this.clock.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.nextWire = Math.max(this.nextWire, until);
    this.stats.globalPauses++;
    this.pump();
  }

  /**
   * The platform said 429 for one chat (or group), or its headers said that chat's bucket is
   * empty (Discord): that one waits; the margin stays (a bucket report is no miscount of ours).
   */
  pauseChat(chat: string, ms: number): void {
    const until = this.clock.now() + ms;
    if (until > (this.chatPausedUntil.get(chat) ?? 0)) this.chatPausedUntil.set(chat, until);
    this.stats.chatPauses++;
  }

  /**
   * Which scope a 429 for this chat most likely hit, for platforms whose 429 does not say:
   * a group with most of its minute used is over its own limit; anything else is the bot's.
   */
  likelyScope(chat: string, isGroup: boolean): 'chat' | 'all' {
    if (!isGroup) return 'all';
    const log = this.groupLogs.get(chat);
    return log && log.countSince(this.clock.now() - MINUTE - this.margin()) >= this.groupMax / 2 ? 'chat' : 'all';
  }

  /** A 429 means the server counted tighter than our margin: widen it for the rest of the run. */
  private tighten(): void {
    if (this.margin() < MAX_MARGIN_MS) this.learnedMarginMs += MARGIN_STEP_MS;
    this.stats.marginMs = this.margin();
  }

  private chatReadyAt(chat: string, isGroup: boolean): number {
    // One chat's windows are long and its sends few: a tenth of the window as margin costs
    // little (a second part 1.1 s after the first) and covers far more jitter.
    const margin = this.margin();
    const interval = SECOND / this.rules.perChatPerSecond;
    let ready = this.chatPausedUntil.get(chat) ?? 0;
    const last = this.lastWire.get(chat);
    if (last !== undefined) ready = Math.max(ready, last + interval + Math.max(margin, interval / 10));
    if (isGroup) {
      const log = this.groupLogs.get(chat);
      const window = MINUTE + Math.max(margin, MINUTE / 20);
      if (log) {
        log.dropUpTo(this.clock.now() - window);
        if (log.size() >= this.groupMax) ready = Math.max(ready, log.at(log.size() - this.groupMax) + window);
      }
    }
    return ready;
  }

  /** When the next send may start, as far as the bot-wide limits go. */
  private globalReadyAt(now: number): number {
    const window = SECOND + this.margin();
    this.wireLog.dropUpTo(now - window);
    const spacing = this.spacing();
    // Even spacing (GCRA), but a send may go up to `tolerance` early to make up for late
    // timers and stalls; never closer than half a spacing to the previous one (no clumps).
    const tolerance = Math.max(BURST_MS, 3 * spacing);
    const last = this.wireLog.size() > 0 ? this.wireLog.at(this.wireLog.size() - 1) : -Infinity;
    let ready = Math.max(this.pausedUntil, this.nextWire - tolerance, last + (spacing >= 2 ? spacing / 2 : 0));
    if (this.wireLog.size() >= this.globalMax) ready = Math.max(ready, this.wireLog.at(this.wireLog.size() - this.globalMax) + window);
    return ready;
  }

  /** Lets waiting sends out, in order, as the windows allow; sleeps until the next may go. */
  private pump(): void {
    for (;;) {
      if (this.waiters.length === 0) return;
      const now = this.clock.now();
      const globalReady = this.globalReadyAt(now);
      if (globalReady > now) return this.wake(globalReady);
      // The first waiter whose chat may take a message (it almost always is the first).
      let chosen = -1;
      let chatReady = Infinity;
      for (let i = 0; i < this.waiters.length; i++) {
        const w = this.waiters[i]!;
        const ready = this.chatReadyAt(w.chat, w.isGroup);
        if (ready <= now) {
          chosen = i;
          break;
        }
        chatReady = Math.min(chatReady, ready);
      }
      if (chosen < 0) return this.wake(chatReady);
      const [w] = this.waiters.splice(chosen, 1);
      this.record(w!.chat, w!.isGroup, now);
      w!.resolve(now);
      this.notifyRoom();
    }
  }

  private wake(at: number): void {
    if (at >= this.pumpAt) return;
    this.pumpAt = at;
    void this.clock.sleep(Math.max(0, at - this.clock.now())).then(() => {
      if (this.pumpAt === at) this.pumpAt = Infinity;
      this.pump();
    });
  }

  private record(chat: string, isGroup: boolean, at: number): void {
    this.wireLog.push(at);
    this.nextWire = Math.max(this.nextWire, at) + this.spacing();
    this.stats.wire++;
    this.lastWire.set(chat, at);
    if (isGroup) {
      let log = this.groupLogs.get(chat);
      if (!log) this.groupLogs.set(chat, (log = new TimeLog()));
      log.push(at);
    }
    // Forget chats idle longer than any window, so a 100k-chat broadcast does not keep them all.
    if (this.lastWire.size > 20_000) {
      const horizon = at - MINUTE * 2;
      for (const [key, t] of this.lastWire) {
        if (t < horizon) {
          this.lastWire.delete(key);
          this.groupLogs.delete(key);
          this.chatPausedUntil.delete(key);
        }
      }
    }
  }
}
