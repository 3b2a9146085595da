/**
 * Group commit for the outbox's per-message marks, with the fsync off the event loop.
 *
 * A commit under `synchronous = FULL` fsyncs on the main thread (4-12 ms here, more under
 * load): at 1000 messages/s that blocked the event loop a quarter of the time, so sends left
 * late. Marks queued close together share one transaction instead, committed with
 * `synchronous = NORMAL` (in WAL mode: written to the WAL, which survives a kill -9 as it is
 * in the OS), and then made durable against power loss too by an fsync of the WAL file on
 * libuv's thread pool. A caller that must know its mark is durable (the 'sending' mark,
 * before the API call) awaits `run`, which resolves only after that fsync. Order is kept:
 * every mark goes through the one queue, direct writes call `flushNow()` first, and they
 * commit under FULL, which syncs the WAL up to them anyway.
 */
import { closeSync, fsync, openSync } from 'node:fs';
import type { Db } from '../store/db.ts';

interface Pending {
  op: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private lastCommit = 0;
  /** Recent commit time (ms, smoothed): the part of a commit that still blocks the loop. */
  private commitMs = 0;
  /** The WAL file, for fsync on the thread pool; null for memory databases (nothing to sync). */
  private walFd: number | null = null;
  /** Each fsync starts after the previous one ends, so it covers every commit before it. */
  private synced: Promise<void> = Promise.resolve();
  /** Transactions committed (for tests and benchmarks). */
  commits = 0;

  /** `intervalMs`: least time between two commits; the longest a mark waits is about this. */
  constructor(
    private readonly db: Db,
    private readonly intervalMs = 10,
  ) {}

  /** Runs `op` in the next shared transaction; resolves once it is committed and durable. */
  run(op: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Commits take at most a fifth of the time: where they are slow, more marks share one.
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
    const committed: Pending[] = [];
    const restore = this.relaxSync();
    try {
      const started = performance.now();
      this.db.transaction(() => {
        for (const item of batch) item.op();
      })();
      this.commits++;
      this.lastCommit = performance.now();
      this.commitMs = Math.min(50, 0.8 * this.commitMs + 0.2 * (this.lastCommit - started));
      committed.push(...batch);
    } catch {
      // One bad op must not sink the others: retry each alone.
      for (const item of batch) {
        try {
          item.op();
          this.commits++;
          committed.push(item);
        } catch (err) {
          item.reject(err);
        }
      }
    } finally {
      restore();
    }
    this.afterSync(committed);
  }

  /** Waits for the last fsync and closes the WAL handle (the database stays open). */
  async close(): Promise<void> {
    await this.synced;
    if (this.walFd !== null) closeSync(this.walFd);
    this.walFd = null;
  }

  /** NORMAL for this commit where a WAL file can be synced after it; returns the undo. */
  private relaxSync(): () => void {
    if (this.db.memory) return () => undefined;
    if (this.walFd === null) {
      try {
        this.walFd = openSync(`${this.db.name}-wal`, 'r');
      } catch {
        return () => undefined; // no WAL yet (or not in WAL mode): commit as configured
      }
    }
    // Prepared once: a statement per commit was native memory the GC frees late.
    if (!this.pragmas) {
      const previous = Number(this.db.pragma('synchronous', { simple: true }));
      this.pragmas = { relax: this.db.prepare('PRAGMA synchronous = NORMAL'), restore: this.db.prepare(`PRAGMA synchronous = ${previous}`) };
    }
    const { relax, restore } = this.pragmas;
    relax.run();
    return () => restore.run();
  }
  private pragmas: { relax: { run(): unknown }; restore: { run(): unknown } } | null = null;

  private afterSync(items: Pending[]): void {
    if (items.length === 0) return;
    const fd = this.walFd;
    if (fd === null) {
      for (const item of items) item.resolve();
      return;
    }
    this.synced = this.synced.then(
      () =>
        new Promise<void>((done) =>
          fsync(fd, (err) => {
            for (const item of items) (err ? item.reject(err) : item.resolve());
            done();
          }),
        ),
    );
  }
}
