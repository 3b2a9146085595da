/**
 * Group commit for the outbox's per-message marks. Each SQLite commit with
 * `synchronous = FULL` costs an fsync (about 3 ms here); two per message would cap a
 * broadcast near 150 messages/s and block the event loop most of the time. Marks queued
 * within `intervalMs` of the last commit share one transaction instead (at 300 messages/s
 * and 10 ms: about 6 marks per fsync, a third of the time in fsync). A caller that must know
 * its mark is durable (the 'sending' mark, before the API call) awaits it; order is kept
 * because every mark goes through the one queue and direct writes call `flushNow()` first.
 */
import type { Db } from '../store/db.ts';

export class GroupCommit {
  private queue: { op: () => void; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private scheduled = false;
  private lastCommit = 0;
  /** Transactions committed (for tests and benchmarks). */
  commits = 0;

  /** `intervalMs`: least time between two commits; the longest a mark waits is about this. */
  constructor(
    private readonly db: Db,
    private readonly intervalMs = 10,
  ) {}

  /** Recent commit time (ms, smoothed): an fsync blocks the event loop for this long. */
  private commitMs = 0;

  /** Runs `op` in the next shared transaction; resolves once it is committed. */
  run(op: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Commits take at most a fifth of the time: where fsync is slow, more marks share one
        // (measured per commit), so the event loop stays free to send on time.
        const wait = this.lastCommit + Math.max(this.intervalMs, 4 * this.commitMs) - performance.now();
        if (wait > 0) setTimeout(() => this.flushNow(), wait);
        else setImmediate(() => this.flushNow());
      }
    });
  }

  /** Commits everything queued, now (before a direct write, and at the end of a drain). */
  flushNow(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    try {
      const started = performance.now();
      this.db.transaction(() => {
        for (const item of batch) item.op();
      })();
      this.commits++;
      this.lastCommit = performance.now();
      this.commitMs = Math.min(50, 0.8 * this.commitMs + 0.2 * (this.lastCommit - started));
      for (const item of batch) item.resolve();
    } catch {
      // One bad op must not sink the others: retry each alone.
      for (const item of batch) {
        try {
          item.op();
          this.commits++;
          item.resolve();
        } catch (err) {
          item.reject(err);
        }
      }
    }
  }
}
