import { fnv1a32 } from '../../core/fnv1a.js';

/**
 * A small persistent (immutable) string-keyed map: `set` returns a new map sharing all but one
 * path of a two-level 64 × 64 trie with the old one. The engine's state is replaced on every probe
 * result; copying a 227-entry object each time cost ~1 ms per result on a loaded machine. One level
 * of 64 chunks was fine at 227 devices but copied ~160-entry chunks per set at 10,000 (13 % of the
 * process's CPU in the scale run, issue 12); with 4,096 leaves a set copies two 64-slot arrays and
 * a leaf of a few entries.
 */
const FANOUT = 64;

type Leaf<V> = ReadonlyMap<string, V> | undefined;
type Mid<V> = readonly Leaf<V>[] | undefined;

const hash = fnv1a32;

export class PMap<V> {
  private constructor(
    private readonly mids: readonly Mid<V>[],
    readonly size: number,
  ) {}

  static empty<V>(): PMap<V> {
    return new PMap<V>(new Array<undefined>(FANOUT).fill(undefined), 0);
  }

  static from<V>(entries: Iterable<readonly [string, V]>): PMap<V> {
    let m = PMap.empty<V>();
    for (const [k, v] of entries) m = m.set(k, v);
    return m;
  }

  private leaf(key: string): Leaf<V> {
    const h = hash(key);
    return this.mids[h % FANOUT]?.[(h >>> 6) % FANOUT];
  }

  get(key: string): V | undefined {
    return this.leaf(key)?.get(key);
  }

  has(key: string): boolean {
    return this.leaf(key)?.has(key) ?? false;
  }

  private with(key: string, edit: (leaf: Map<string, V>) => void): PMap<V> {
    const h = hash(key);
    const i = h % FANOUT;
    const j = (h >>> 6) % FANOUT;
    const oldMid = this.mids[i];
    const oldLeaf = oldMid?.[j];
    const leaf = new Map(oldLeaf);
    const had = leaf.has(key);
    edit(leaf);
    const mid = oldMid ? [...oldMid] : new Array<Leaf<V>>(FANOUT).fill(undefined);
    mid[j] = leaf.size > 0 ? leaf : undefined;
    const mids = [...this.mids];
    mids[i] = mid;
    return new PMap(mids, this.size + (leaf.has(key) ? 1 : 0) - (had ? 1 : 0));
  }

  set(key: string, value: V): PMap<V> {
    return this.with(key, (leaf) => {
      leaf.set(key, value);
    });
  }

  delete(key: string): PMap<V> {
    if (!this.has(key)) return this;
    return this.with(key, (leaf) => {
      leaf.delete(key);
    });
  }

  *entries(): IterableIterator<[string, V]> {
    for (const mid of this.mids) if (mid) for (const leaf of mid) if (leaf) yield* leaf.entries();
  }

  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  toObject(): Record<string, V> {
    return Object.fromEntries(this.entries());
  }

  toJSON(): Record<string, V> {
    return this.toObject();
  }
}
