/** The limiter on a virtual clock: windows as the platform counts them, whatever pauses come in between. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Limiter, type LimiterRules } from '../../src/delivery/limiter.ts';

/** A virtual clock: sleepers wake in time order as the test advances time. */
function fakeClock() {
  let t = 0;
  const sleepers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => t,
    sleep(ms: number, signal?: AbortSignal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        sleepers.push({ at: t + ms, resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
    /** Runs the world until nothing is waiting. */
    async run() {
      for (;;) {
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers.shift();
        if (!next) return;
        t = Math.max(t, next.at);
        next.resolve();
      }
    },
  };
}
type Clock = ReturnType<typeof fakeClock>;

const RULES: LimiterRules = { globalPerSecond: 10, perChatPerSecond: 1, perGroupPerMinute: 20, headroom: 1, marginMs: 0 };

/** One message as the worker sends it: the chat's turn, then (after `delay`) the wire. */
async function send(limiter: Limiter, clock: Clock, chat: string, group = false, delay = 0): Promise<number> {
  await limiter.acquire(chat, group);
  if (delay > 0) await clock.sleep(delay);
  return limiter.onWire(chat, group);
}

async function sendAll(limiter: Limiter, clock: Clock, requests: { chat: string; group?: boolean; delay?: number }[]) {
  const times: { chat: string; at: number }[] = [];
  const done = requests.map(async (r) => times.push({ chat: r.chat, at: await send(limiter, clock, r.chat, r.group, r.delay) }));
  await clock.run();
  await Promise.all(done);
  return times;
}

/** One chat's messages in order, each after the last (as the worker does). */
async function sendInOrder(limiter: Limiter, clock: Clock, chat: string, n: number, group = false): Promise<number[]> {
  const times: number[] = [];
  const done = (async () => {
    for (let i = 0; i < n; i++) times.push(await send(limiter, clock, chat, group));
  })();
  await clock.run();
  await done;
  return times;
}

function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('Limiter', () => {
  it('never lets more than the overall rate through in any second, and uses all of it', async () => {
    const clock = fakeClock();
    const times = await sendAll(new Limiter(RULES, clock), clock, Array.from({ length: 50 }, (_, i) => ({ chat: `c${i}` })));
    expect(times).toHaveLength(50);
    expect(maxInWindow(times.map((g) => g.at), 1000)).toBeLessThanOrEqual(10);
    // 50 messages at 10/s: about 4.9 s from first to last, not much later.
    expect(Math.max(...times.map((g) => g.at))).toBeLessThanOrEqual(5000);
  });

  it('keeps the margin: no more than the limit in any window of a second plus the margin', async () => {
    const clock = fakeClock();
    const limiter = new Limiter({ ...RULES, marginMs: 100 }, clock);
    const times = await sendAll(limiter, clock, Array.from({ length: 40 }, (_, i) => ({ chat: `c${i}` })));
    expect(maxInWindow(times.map((g) => g.at), 1100)).toBeLessThanOrEqual(10);
  });

  it('uses only the headroom fraction of the count', async () => {
    const clock = fakeClock();
    const times = await sendAll(new Limiter({ ...RULES, headroom: 0.5 }, clock), clock, Array.from({ length: 20 }, (_, i) => ({ chat: `c${i}` })));
    expect(maxInWindow(times.map((g) => g.at), 1000)).toBeLessThanOrEqual(5);
  });

  it('spaces messages to one chat a second apart without holding up other chats', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    const a = await sendInOrder(limiter, clock, 'a', 3);
    expect(a[1]! - a[0]!).toBeGreaterThanOrEqual(1000);
    expect(a[2]! - a[1]!).toBeGreaterThanOrEqual(1000);
    const others = await sendAll(limiter, clock, [{ chat: 'b' }, { chat: 'c' }]);
    // b and c did not wait for a's second-long spacing.
    expect(Math.max(...others.map((g) => g.at)) - a[2]!).toBeLessThan(1000);
  });

  it('keeps a group to 20 messages a minute; a private chat has only the 1/s spacing', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    expect(maxInWindow(await sendInOrder(limiter, clock, '-100', 45, true), 60_000)).toBeLessThanOrEqual(20);
    expect(maxInWindow(await sendInOrder(limiter, clock, '42', 45), 60_000)).toBeGreaterThan(40);
  });

  it('holds every sender during a global pause and resumes evenly, not in a clump', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    await sendAll(limiter, clock, [{ chat: 'x' }]);
    const pausedAt = clock.now();
    limiter.pauseAll(3000);
    const after = (await sendAll(limiter, clock, Array.from({ length: 8 }, (_, i) => ({ chat: `y${i}` })))).map((g) => g.at).sort((p, q) => p - q);
    for (const t of after) expect(t).toBeGreaterThanOrEqual(pausedAt + 3000);
    // Never closer than half the even spacing (100 ms at 10/s).
    for (let i = 1; i < after.length; i++) expect(after[i]! - after[i - 1]!).toBeGreaterThanOrEqual(50);
  });

  it('holds one chat during a chat pause, not the others', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    const start = clock.now();
    limiter.pauseChat('p', 5000);
    const times = await sendAll(limiter, clock, [{ chat: 'p' }, { chat: 'q' }]);
    expect(times.find((g) => g.chat === 'q')!.at - start).toBeLessThan(1000);
    expect(times.find((g) => g.chat === 'p')!.at - start).toBeGreaterThanOrEqual(5000);
  });

  it('a 429 widens the margin for the rest of the run', () => {
    const limiter = new Limiter(RULES, fakeClock());
    const before = limiter.margin();
    limiter.pauseAll(1000);
    expect(limiter.margin()).toBeGreaterThan(before);
  });

  it('guesses a Telegram 429 hit a group only when the group used most of its minute', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    await sendInOrder(limiter, clock, '-5', 12, true);
    expect(limiter.likelyScope('-5', true)).toBe('chat');
    expect(limiter.likelyScope('-6', true)).toBe('all');
    expect(limiter.likelyScope('7', false)).toBe('all');
  });

  it('stops waiting when aborted, at either gate', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    limiter.pauseAll(10_000);
    const ctl = new AbortController();
    const waiting = limiter.acquire('a', false, ctl.signal);
    const onWire = limiter.onWire('b', false, ctl.signal);
    ctl.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(onWire).rejects.toThrow('stop');
  });

  it('rejects nonsense rules', () => {
    expect(() => new Limiter({ ...RULES, globalPerSecond: 0 }, fakeClock())).toThrow(/globalPerSecond/);
  });

  it('property: under random delays between grant and wire, no window is ever exceeded', async () => {
    const request = fc.record({
      chat: fc.integer({ min: 0, max: 30 }),
      // A commit, a GC pause or a stalled event loop between the grant and the send.
      delay: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 200, max: 1500 })),
      // When the row reaches the limiter.
      arrival: fc.integer({ min: 0, max: 4000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 120 }), fc.integer({ min: 0, max: 60 }), async (requests, marginMs) => {
        const clock = fakeClock();
        const limiter = new Limiter({ ...RULES, marginMs }, clock);
        const wire: { chat: string; at: number }[] = [];
        const tails = new Map<string, Promise<void>>();
        const done = requests.map((r) => {
          const chat = r.chat < 5 ? `-${r.chat}` : String(r.chat);
          const group = chat.startsWith('-');
          // One message at a time per chat, in order, as the worker sends them.
          const task = (tails.get(chat) ?? Promise.resolve()).then(async () => {
            await clock.sleep(r.arrival);
            wire.push({ chat, at: await send(limiter, clock, chat, group, r.delay) });
          });
          tails.set(chat, task);
          return task;
        });
        await clock.run();
        await Promise.all(done);
        const all = wire.map((w) => w.at);
        expect(maxInWindow(all, 1000 + marginMs)).toBeLessThanOrEqual(10);
        const byChat = new Map<string, number[]>();
        for (const w of wire) byChat.set(w.chat, [...(byChat.get(w.chat) ?? []), w.at]);
        for (const [chat, times] of byChat) {
          expect(maxInWindow(times, 1000 + marginMs), `chat ${chat}`).toBeLessThanOrEqual(1);
          if (chat.startsWith('-')) expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(20);
        }
        // No clumps: at 10/s, two sends are never closer than half the even spacing.
        const sorted = [...all].sort((p, q) => p - q);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual((1000 + marginMs) / 10 / 2 - 1e-9);
      }),
      { numRuns: 60 },
    );
  });
});
