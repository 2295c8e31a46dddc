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
