/**
 * A value built on its first use and kept. zod schemas cost tens of microseconds each to build, and an
 * isolate's startup runs every module's top level: the schemas only some requests (or only
 * /openapi.json) need are built through this instead (docs/benchmarks.md, row 7).
 */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

/**
 * A function of an object whose result is built on its first call with that object and kept while the
 * object lives: per request body, per parsed path, per held scope set, per catalog. The object and the
 * result are not changed after.
 *
 * The result is kept on the object, under a symbol of its own that is neither enumerable nor JSON (so
 * spreads, `Object.keys` and answers do not see it); a WeakMap only for an object that takes no new
 * property (frozen, or a lazyList's Proxy). Not a WeakMap for all: V8's young-generation collector keeps
 * a WeakMap's values alive until a full collection, so the results of short-lived keys (each request's
 * parsed paths, about 94 KB a /diff of 100 lines) were copied by every scavenge, then promoted.
 */
export function lazyPer<K extends object, V>(build: (key: K) => V): LazyPer<K, V> {
  const slot = Symbol("lazyPer");
  const refused = new WeakMap<K, V>();
  const get = (key: K) => {
    let value = (key as Record<symbol, V | undefined>)[slot];
    if (value !== undefined) return value;
    value = refused.get(key);
    if (value === undefined) {
      value = build(key);
      if (!Reflect.defineProperty(key, slot, { value })) refused.set(key, value);
    }
    return value;
  };
  get.unkept = (key: K) => {
    let value = (key as Record<symbol, V | undefined>)[slot];
    if (value === undefined) value = refused.get(key);
    return value === undefined ? build(key) : value;
  };
  return get;
}

export interface LazyPer<K extends object, V> {
  (key: K): V;
  /**
   * The result kept for `key`, or else one built and not kept: for a caller that is most often the only
   * one to ask about its key, where keeping the result (a new property on the key) costs more than
   * building it again would, should another ask.
   */
  unkept(key: K): V;
}

/**
 * An object built on the first read of any of its properties (enumerating them included). The routes'
 * documented responses are these: only /openapi.json reads them, so their answer schemas are built then.
 */
export function lazyObject<T extends object>(build: () => T): T {
  const built = lazy(build);
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(built(), key),
    has: (_, key) => Reflect.has(built(), key),
    ownKeys: () => Reflect.ownKeys(built()),
    // A property the empty target lacks may be reported only as configurable.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(built(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/**
 * A read-only list of `length` items, each built by `load` on its first read and kept. Reads like an
 * array (index, `length`, iteration, the array methods, `Array.isArray`, `JSON.stringify`), so code
 * that takes a list needs no change. A shard's endpoints are these (src/storage/shard-layout.ts): a
 * path lookup on a cold isolate parses the few endpoints its path matches, not all 1,126 of Jira's.
 */
export function lazyList<T>(length: number, load: (index: number) => T): readonly T[] {
  const items = new Array<T | undefined>(length);
  const indexOf = (key: string | symbol): number | undefined => {
    if (typeof key !== "string") return undefined;
    const code = key.charCodeAt(0);
    if (code < 48 || code > 57) return undefined;
    const index = Number(key);
    return index < length && Number.isInteger(index) && String(index) === key ? index : undefined;
  };
  const itemAt = (index: number): T => {
    let item = items[index];
    if (item === undefined) items[index] = item = load(index);
    return item;
  };
  const list = new Proxy(items as T[], {
    get: (target, key, receiver) => {
      const index = indexOf(key);
      return index === undefined ? Reflect.get(target, key, receiver) : itemAt(index);
    },
    has: (target, key) => indexOf(key) !== undefined || Reflect.has(target, key),
    ownKeys: () => [...Array.from({ length }, (_, index) => String(index)), "length"],
    getOwnPropertyDescriptor: (target, key) => {
      const index = indexOf(key);
      // An item the holey target lacks may be reported only as configurable.
      if (index !== undefined) return { value: itemAt(index), writable: false, enumerable: true, configurable: true };
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
  });
  readers.set(list, (index) => (index === (index | 0) && index >= 0 && index < length ? itemAt(index) : undefined));
  return list;
}

/** Each lazy list's reader by index, which skips the Proxy: its traps take the index as a string. */
const readers = new WeakMap<object, (index: number) => unknown>();

/**
 * A function reading `list`'s item at an index (undefined past its end): for a lazy list its own
 * reader, without the Proxy's traps (the matcher and the scope index read every endpoint they find
 * so, per request), else plain indexing.
 */
export function itemReader<T>(list: readonly T[]): (index: number) => T | undefined {
  return (readers.get(list) as ((index: number) => T | undefined) | undefined) ?? ((index) => list[index]);
}
