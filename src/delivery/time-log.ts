/** An append-only log of times (ms, ascending) with cheap removal from the front: a sliding window. */
export class TimeLog {
  private times: number[] = [];
  private head = 0;

  push(at: number): void {
    this.times.push(at);
  }

  /** Forgets every time at or before `horizon`. */
  dropUpTo(horizon: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= horizon) this.head++;
    // Compact now and then, so the array does not grow with the whole broadcast.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  size(): number {
    return this.times.length - this.head;
  }

  /** The i-th time still in the log (0 = oldest). */
  at(i: number): number {
    return this.times[this.head + i]!;
  }

  /** Times after `since`. */
  countSince(since: number): number {
    let n = 0;
    for (let i = this.times.length - 1; i >= this.head && this.times[i]! > since; i--) n++;
    return n;
  }
}
