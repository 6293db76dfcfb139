/**
 * The sorted entries of one index, built to hold millions: leaves of at most LEAF_MAX entries (parallel arrays
 * of keys and document ids) under one array of leaves, i.e. a two-level B+tree. Locating a position is two binary
 * searches; an insert or delete moves at most one leaf's entries, plus the leaf array when a leaf splits, merges
 * or empties. Entries with equal keys are ordered by document id, so every entry has exactly one position.
 */

const LEAF_MAX = 256;
/** A bulk build leaves room in each leaf so the inserts that follow do not split every leaf at once. */
const BUILD_FILL = 192;

interface Leaf<K> {
  keys: K[];
  ids: string[];
  /** The last key in its comparable form, cached: every search compares it (dropped when the leaf changes). */
  last?: K;
}

/** A place between entries: `i` in leaf `leaf`; the end of the sequence is `{ leaf: leaves.length, i: 0 }`. */
export interface Position {
  leaf: number;
  i: number;
}

/**
 * Where an entry lies relative to a target: negative before it, positive after it. Bounds built from filters
 * never answer 0, so "the first entry after the target" is one well-defined position.
 */
export type Probe<K> = (key: K, id: string) => number;

export class SortedEntries<K> {
  private leaves: Array<Leaf<K>> = [];
  size = 0;

  /** `comparable(key)` is a key equal to `key` that compares faster (the identity unless the owner says otherwise). */
  constructor(
    readonly compareKeys: (a: K, b: K) => number,
    private readonly comparable: (key: K) => K = (key) => key,
  ) {}

  private lastKey(leaf: Leaf<K>): K {
    return (leaf.last ??= this.comparable(leaf.keys[leaf.keys.length - 1] as K));
  }

  get start(): Position {
    return { leaf: 0, i: 0 };
  }

  get end(): Position {
    return { leaf: this.leaves.length, i: 0 };
  }

  /** Total order of entries: key, then document id. */
  private entryOrder(key: K, id: string): Probe<K> {
    return (k, i) => this.compareKeys(k, key) || (i < id ? -1 : i > id ? 1 : 0);
  }

  /** The first position whose entry the probe puts after the target (or at it, with `orAt`). */
  seek(probe: Probe<K>, orAt = false): Position {
    // Hot path: no helper closures (tsx's keepNames would wrap each one at every call).
    const leaves = this.leaves;
    let lo = 0;
    let hi = leaves.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const leaf = leaves[mid] as Leaf<K>;
      const c = probe(this.lastKey(leaf), leaf.ids[leaf.ids.length - 1] as string);
      if (orAt ? c >= 0 : c > 0) hi = mid;
      else lo = mid + 1;
    }
    if (lo === leaves.length) return { leaf: lo, i: 0 };
    const leaf = leaves[lo] as Leaf<K>;
    let a = 0;
    let b = leaf.keys.length - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      const c = probe(leaf.keys[mid] as K, leaf.ids[mid] as string);
      if (orAt ? c >= 0 : c > 0) b = mid;
      else a = mid + 1;
    }
    return { leaf: lo, i: a };
  }

  /** Adds an entry; `probeKey` (equal to `key`, maybe cheaper to compare) is what the search compares. */
  insert(key: K, id: string, probeKey: K = key): void {
    const leaves = this.leaves;
    this.size++;
    const last = leaves[leaves.length - 1];
    if (!last) {
      leaves.push({ keys: [key], ids: [id] });
      return;
    }
    // Appends (ascending ids, creation times) are the common case: start a new leaf instead of splitting a full
    // one in half, so such indexes stay densely packed.
    const order = this.entryOrder(probeKey, id);
    if (order(this.lastKey(last), last.ids[last.ids.length - 1] as string) < 0) {
      if (last.keys.length < LEAF_MAX) {
        last.keys.push(key);
        last.ids.push(id);
        last.last = probeKey;
      } else leaves.push({ keys: [key], ids: [id], last: probeKey });
      return;
    }
    const p = this.seek(order, true);
    const leaf = leaves[p.leaf] as Leaf<K>;
    leaf.keys.splice(p.i, 0, key);
    leaf.ids.splice(p.i, 0, id);
    leaf.last = undefined;
    if (leaf.keys.length > LEAF_MAX) {
      const half = leaf.keys.length >> 1;
      leaves.splice(p.leaf + 1, 0, { keys: leaf.keys.splice(half), ids: leaf.ids.splice(half) });
    }
  }

  /** Removes one entry (`probeKey` as for insert); false if it was not there. */
  delete(key: K, id: string, probeKey: K = key): boolean {
    const p = this.seek(this.entryOrder(probeKey, id), true);
    const leaf = this.leaves[p.leaf];
    if (!leaf || leaf.ids[p.i] !== id || this.compareKeys(leaf.keys[p.i] as K, probeKey) !== 0) return false;
    leaf.keys.splice(p.i, 1);
    leaf.ids.splice(p.i, 1);
    leaf.last = undefined;
    this.size--;
    const next = this.leaves[p.leaf + 1];
    if (leaf.keys.length === 0) this.leaves.splice(p.leaf, 1);
    else if (next && leaf.keys.length + next.keys.length <= LEAF_MAX / 2) {
      // Keeps leaves from thinning out under deletes: merge a small leaf into its successor.
      next.keys = leaf.keys.concat(next.keys);
      next.ids = leaf.ids.concat(next.ids);
      this.leaves.splice(p.leaf, 1);
    }
    return true;
  }

  /** Replaces the contents with entries already in order (`keys[i]`, `ids[i]`). */
  fill(keys: K[], ids: string[]): void {
    this.leaves = [];
    for (let i = 0; i < keys.length; i += BUILD_FILL)
      this.leaves.push({ keys: keys.slice(i, i + BUILD_FILL), ids: ids.slice(i, i + BUILD_FILL) });
    this.size = keys.length;
  }

  /** Roughly how many entries lie between two positions (exact within a leaf, leaf averages across leaves). */
  distance(from: Position, to: Position): number {
    if (from.leaf === to.leaf) return to.i - from.i;
    if (from.leaf > to.leaf) return 0;
    const average = this.size / Math.max(1, this.leaves.length);
    return (this.leaves[from.leaf]?.keys.length ?? 0) - from.i + to.i + (to.leaf - from.leaf - 1) * average;
  }

  /** Calls `visit` on the entries from `from` up to (not including) `to`, backwards with `reverse`, until it returns false. */
  walk(from: Position, to: Position, reverse: boolean, visit: (key: K, id: string) => boolean | void): void {
    const leaves = this.leaves;
    const before = (l: number, i: number, p: Position): boolean => l < p.leaf || (l === p.leaf && i < p.i);
    if (!reverse) {
      for (let l = from.leaf, i = from.i; before(l, i, to); i++) {
        const leaf = leaves[l] as Leaf<K>;
        if (i === leaf.keys.length) {
          l++;
          i = -1;
        } else if (visit(leaf.keys[i] as K, leaf.ids[i] as string) === false) return;
      }
      return;
    }
    for (let l = to.leaf, i = to.i; ;) {
      if (i === 0) {
        if (l === 0) return;
        i = (leaves[--l] as Leaf<K>).keys.length;
      }
      i--;
      if (before(l, i, from)) return;
      const leaf = leaves[l] as Leaf<K>;
      if (visit(leaf.keys[i] as K, leaf.ids[i] as string) === false) return;
    }
  }
}
