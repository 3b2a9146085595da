/**
 * Disjoint sets over 0..n-1 (path halving + union by size), the merge step of clustering.
 */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    let i = x;
    for (;;) {
      const p = this.parent[i] ?? i;
      if (p === i) return i;
      const gp = this.parent[p] ?? p;
      this.parent[i] = gp;
      i = gp;
    }
  }

  /** Joins the sets of a and b; returns the new root, or -1 if they were already one. */
  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return -1;
    // Larger set wins; on a tie the smaller index, so the result never depends on call order.
    if ((this.size[ra] ?? 0) < (this.size[rb] ?? 0) || ((this.size[ra] ?? 0) === (this.size[rb] ?? 0) && rb < ra)) {
      [ra, rb] = [rb, ra];
    }
    this.parent[rb] = ra;
    this.size[ra] = (this.size[ra] ?? 0) + (this.size[rb] ?? 0);
    return ra;
  }
}
