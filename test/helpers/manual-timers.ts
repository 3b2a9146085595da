/**
 * Virtual time for tests: timers (src/util/timers.ts) that fire only when the test advances
 * the clock, so a timeout happens when the test's events say so, however busy the machine is.
 */
import type { Timers } from '../../src/util/timers.ts';

export interface ManualTimers {
  timers: Timers;
  /** Moves virtual time on by `ms`, firing every timer due by then, earliest first. */
  advance(ms: number): void;
  /** Timers set and not yet fired or cancelled. */
  pending(): number;
}

export function manualTimers(): ManualTimers {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fire: () => void }>();
  return {
    timers: {
      after(ms, fire) {
        const id = seq++;
        pending.set(id, { at: now + ms, fire });
        return () => void pending.delete(id);
      },
    },
    advance(ms) {
      now += ms;
      const due = [...pending].filter(([, t]) => t.at <= now).sort(([a, x], [b, y]) => x.at - y.at || a - b);
      for (const [id, t] of due) {
        if (!pending.delete(id)) continue;
        t.fire();
      }
    },
    pending: () => pending.size,
  };
}
