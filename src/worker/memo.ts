/**
 * Results computed once per key and shared by later requests (a re-shown panel asks again for its UMAP and gets
 * it at once). A failure — a cancel above all — does not stick: the next request computes afresh.
 */
export class Memo {
  private readonly entries = new Map<string, Promise<unknown>>();

  /** The result for `key`, computing it with `compute` when there is none yet. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const known = this.entries.get(key) as Promise<T> | undefined;
    if (known) return known;
    const created = compute();
    this.entries.set(key, created);
    created.catch(() => this.entries.get(key) === created && this.entries.delete(key));
    return created;
  }

  /** Whether a result (or a computation) is held for `key`. */
  has(key: string): boolean {
    return this.entries.has(key);
  }
}
