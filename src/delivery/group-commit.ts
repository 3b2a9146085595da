/**
 * Group commit for the outbox's per-message marks. Each SQLite commit with
 * `synchronous = FULL` costs an fsync (about 3 ms here); two per message would cap a
 * broadcast near 150 messages/s and block the event loop most of the time. Marks queued in
 * the same turn of the event loop share one transaction instead. A caller that must know
 * its mark is durable (the 'sending' mark, before the API call) awaits it; order is kept
 * because every mark goes through the one queue and direct writes call `flushNow()` first.
 */
import type { Db } from '../store/db.ts';

export class GroupCommit {
  private queue: { op: () => void; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private scheduled = false;
  /** Transactions committed (for tests and benchmarks). */
  commits = 0;

  constructor(private readonly db: Db) {}

  /** Runs `op` in the next shared transaction; resolves once it is committed. */
  run(op: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flushNow());
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
      this.db.transaction(() => {
        for (const item of batch) item.op();
      })();
      this.commits++;
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
