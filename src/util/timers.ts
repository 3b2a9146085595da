/**
 * Timers as a dependency: request timeouts, each source's timeout and the collection deadline
 * run on them, so a test fires them when its events say so instead of racing the wall clock.
 */

export interface Timers {
  /** Calls `fire` once after `ms`; the returned function cancels it. */
  after(ms: number, fire: () => void): () => void;
}

/** setTimeout; callers cancel what they no longer need. */
export const realTimers: Timers = {
  after(ms, fire) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * Like AbortSignal.timeout(ms) (a "TimeoutError" DOMException), on the given timers. Never
 * cancelled (the body may still be read after the call returns), so use it with injected timers;
 * without them http.ts keeps AbortSignal.timeout, whose timer does not hold the process open.
 */
export function timeoutSignal(timers: Timers, ms: number): AbortSignal {
  const controller = new AbortController();
  timers.after(ms, () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')));
  return controller.signal;
}
