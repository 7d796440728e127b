/**
 * A small persistent (immutable) string-keyed map: `set` returns a new map sharing all but one
 * of 64 chunks with the old one. The engine's state is replaced on every probe result; copying
 * a 227-entry object each time cost ~1 ms per result on a loaded machine, this costs ~1 µs.
 */
const CHUNKS = 64;

function slot(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % CHUNKS;
}

export class PMap<V> {
  private constructor(private readonly chunks: readonly (ReadonlyMap<string, V> | undefined)[], readonly size: number) {}

  static empty<V>(): PMap<V> {
    return new PMap<V>(new Array<undefined>(CHUNKS).fill(undefined), 0);
  }

  static from<V>(entries: Iterable<readonly [string, V]>): PMap<V> {
    let m = PMap.empty<V>();
    for (const [k, v] of entries) m = m.set(k, v);
    return m;
  }

  get(key: string): V | undefined {
    return this.chunks[slot(key)]?.get(key);
  }

  has(key: string): boolean {
    return this.chunks[slot(key)]?.has(key) ?? false;
  }

  set(key: string, value: V): PMap<V> {
    const i = slot(key);
    const old = this.chunks[i];
    const chunk = new Map(old);
    chunk.set(key, value);
    const chunks = [...this.chunks];
    chunks[i] = chunk;
    return new PMap(chunks, this.size + (old?.has(key) ? 0 : 1));
  }

  delete(key: string): PMap<V> {
    const i = slot(key);
    const old = this.chunks[i];
    if (!old?.has(key)) return this;
    const chunk = new Map(old);
    chunk.delete(key);
    const chunks = [...this.chunks];
    chunks[i] = chunk;
    return new PMap(chunks, this.size - 1);
  }

  *entries(): IterableIterator<[string, V]> {
    for (const c of this.chunks) if (c) yield* c.entries();
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
