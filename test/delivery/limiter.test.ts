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
    /** Runs the world until nothing is waiting or `until` is reached. */
    async run(until = Infinity) {
      for (;;) {
        await new Promise((r) => setImmediate(r));
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > until) return;
        sleepers.shift();
        t = Math.max(t, next.at);
        next.resolve();
      }
    },
  };
}

const RULES: LimiterRules = { globalPerSecond: 10, perChatPerSecond: 1, perGroupPerMinute: 20, headroom: 1 };

async function grants(limiter: Limiter, clock: ReturnType<typeof fakeClock>, requests: { chat: string; group?: boolean }[]) {
  const times: { chat: string; at: number }[] = [];
  const done = requests.map(async (r) => {
    await limiter.acquire(r.chat, r.group ?? false);
    times.push({ chat: r.chat, at: clock.now() });
  });
  await clock.run();
  await Promise.all(done);
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
    const limiter = new Limiter(RULES, clock);
    const times = await grants(limiter, clock, Array.from({ length: 50 }, (_, i) => ({ chat: `c${i}` })));
    expect(times).toHaveLength(50);
    expect(maxInWindow(times.map((g) => g.at), 1000)).toBeLessThanOrEqual(10);
    // 50 messages at 10/s: the last goes out 4.9 s after the first, not later.
    expect(Math.max(...times.map((g) => g.at))).toBe(4900);
  });

  it('aims under the limit by the headroom', async () => {
    const clock = fakeClock();
    const limiter = new Limiter({ ...RULES, headroom: 0.5 }, clock);
    const times = await grants(limiter, clock, Array.from({ length: 20 }, (_, i) => ({ chat: `c${i}` })));
    expect(maxInWindow(times.map((g) => g.at), 1000)).toBeLessThanOrEqual(5);
  });

  it('spaces messages to one chat a second apart without holding up other chats', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    // Sequential sends to one chat, as the worker makes them.
    const times = await grants(limiter, clock, [{ chat: 'a' }]);
    for (let i = 0; i < 2; i++) times.push(...(await grants(limiter, clock, [{ chat: 'a' }])));
    const others = await grants(limiter, clock, [{ chat: 'b' }, { chat: 'c' }]);
    const a = times.map((g) => g.at);
    expect(a[1]! - a[0]!).toBeGreaterThanOrEqual(1000);
    expect(a[2]! - a[1]!).toBeGreaterThanOrEqual(1000);
    // b and c did not wait for a's second-long spacing.
    expect(Math.max(...others.map((g) => g.at)) - a[2]!).toBeLessThan(1000);
  });

  it('keeps a group to 20 messages a minute', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    const times: number[] = [];
    for (let i = 0; i < 45; i++) times.push(...(await grants(limiter, clock, [{ chat: '-100', group: true }])).map((g) => g.at));
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(20);
    // A private chat has no per-minute cap, only the 1/s spacing.
    const privateTimes: number[] = [];
    for (let i = 0; i < 45; i++) privateTimes.push(...(await grants(limiter, clock, [{ chat: '42' }])).map((g) => g.at));
    expect(maxInWindow(privateTimes, 60_000)).toBeGreaterThan(40);
  });

  it('holds every sender during a global pause, and one chat during a chat pause', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    await grants(limiter, clock, [{ chat: 'x' }]);
    const pausedAt = clock.now();
    limiter.pauseAll(3000);
    const afterGlobal = await grants(limiter, clock, [{ chat: 'y' }, { chat: 'z' }]);
    for (const g of afterGlobal) expect(g.at).toBeGreaterThanOrEqual(pausedAt + 3000);

    const start = clock.now();
    limiter.pauseChat('p', 5000);
    const times = await grants(limiter, clock, [{ chat: 'p' }, { chat: 'q' }]);
    expect(times.find((g) => g.chat === 'q')!.at - start).toBeLessThan(1000);
    expect(times.find((g) => g.chat === 'p')!.at - start).toBeGreaterThanOrEqual(5000);
  });

  it('holds requests that leave late (after a crash mark is committed) to the rate on the wire', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    const wire: number[] = [];
    const done = Array.from({ length: 30 }, async (_, i) => {
      await limiter.acquire(`c${i}`, false);
      // Early grants are delayed on their way out, later ones are not: they would bunch.
      if (i < 10) await clock.sleep(950 - i * 100);
      await limiter.onWire();
      wire.push(clock.now());
    });
    await clock.run();
    await Promise.all(done);
    expect(maxInWindow(wire, 1000)).toBeLessThanOrEqual(10);
  });

  it('stops waiting when aborted', async () => {
    const clock = fakeClock();
    const limiter = new Limiter(RULES, clock);
    limiter.pauseAll(10_000);
    const ctl = new AbortController();
    const waiting = limiter.acquire('a', false, ctl.signal);
    ctl.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('rejects nonsense rules', () => {
    expect(() => new Limiter({ ...RULES, globalPerSecond: 0 }, fakeClock())).toThrow(/globalPerSecond/);
  });
});
