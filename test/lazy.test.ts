import { describe, expect, it } from "vitest";
import { itemReader, lazy, lazyList, lazyObject, lazyPer } from "../src/lazy";

describe("lazy", () => {
  it("builds on the first call only, and returns the same value after", () => {
    let builds = 0;
    const value = lazy(() => ({ built: ++builds }));
    expect(builds).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(builds).toBe(1);
  });
});

describe("lazyObject", () => {
  it("builds nothing until a property is read, then reads as the built object", () => {
    let builds = 0;
    const object = lazyObject(() => {
      builds++;
      return { 200: { description: "ok" }, 404: { description: "missing" } } as Record<string, { description: string }>;
    });
    const holder = { ...{ responses: object } };
    expect(builds).toBe(0);
    expect(holder.responses[200]?.description).toBe("ok");
    expect(Object.keys(object)).toEqual(["200", "404"]);
    expect(Object.entries(object).map(([status, entry]) => `${status} ${entry.description}`)).toEqual([
      "200 ok",
      "404 missing",
    ]);
    expect("404" in object).toBe(true);
    expect("500" in object).toBe(false);
    expect({ ...object }).toEqual({ 200: { description: "ok" }, 404: { description: "missing" } });
    expect(JSON.stringify(object)).toBe('{"200":{"description":"ok"},"404":{"description":"missing"}}');
    expect(builds).toBe(1);
  });
});

describe("lazyList", () => {
  const list = () => {
    const loaded: number[] = [];
    const items = lazyList(4, (index) => {
      loaded.push(index);
      return { index };
    });
    return { items, loaded };
  };

  it("loads an item on its first read only, and only the items read", () => {
    const { items, loaded } = list();
    expect(items.length).toBe(4);
    expect(loaded).toEqual([]);
    const third = items[2];
    expect(items[2]).toBe(third);
    expect(third).toEqual({ index: 2 });
    expect(loaded).toEqual([2]);
    expect(items[4]).toBeUndefined();
    expect(items.at(-1)).toEqual({ index: 3 });
    expect(loaded).toEqual([2, 3]);
  });

  it("reads like an array to iteration, the array methods, `in`, Array.isArray and JSON.stringify", () => {
    const { items, loaded } = list();
    expect(Array.isArray(items)).toBe(true);
    expect(items.map((item) => item.index)).toEqual([0, 1, 2, 3]);
    expect(items.filter((item) => item.index % 2 === 0)).toEqual([{ index: 0 }, { index: 2 }]);
    expect([...items]).toHaveLength(4);
    expect([[1], items].flat()).toHaveLength(5);
    expect(2 in items).toBe(true);
    expect(4 in items).toBe(false);
    expect(Object.keys(items)).toEqual(["0", "1", "2", "3"]);
    expect(JSON.stringify(items)).toBe('[{"index":0},{"index":1},{"index":2},{"index":3}]');
    expect(loaded).toEqual([0, 1, 2, 3]);
  });

  it("refuses writes, and a failing load throws on each read without keeping anything", () => {
    const { items } = list();
    expect(() => {
      (items as { index: number }[])[0] = { index: 9 };
    }).toThrow(TypeError);
    expect(() => (items as { index: number }[]).push({ index: 9 })).toThrow(TypeError);
    let calls = 0;
    const failing = lazyList(1, () => {
      calls++;
      throw new Error("corrupt");
    });
    expect(() => failing[0]).toThrow("corrupt");
    expect(() => failing[0]).toThrow("corrupt");
    expect(calls).toBe(2);
  });

  it("has a reader by index that shares the list's items and loads, and stops at its ends", () => {
    const { items, loaded } = list();
    const read = itemReader(items);
    const second = read(1);
    expect(second).toEqual({ index: 1 });
    expect(items[1]).toBe(second);
    expect(read(1)).toBe(second);
    expect(loaded).toEqual([1]);
    expect(read(4)).toBeUndefined();
    expect(read(-1)).toBeUndefined();
    expect(read(1.5)).toBeUndefined();
    expect(loaded).toEqual([1]);
  });

  it("reads a plain list by indexing it, as it is when read", () => {
    const plain = ["a"];
    const read = itemReader(plain);
    plain.push("b");
    expect([read(0), read(1), read(2)]).toEqual(["a", "b", undefined]);
  });
});

describe("lazyPer", () => {
  it("builds once per object, and again for another object", () => {
    const seen: object[] = [];
    const sizeOf = lazyPer((list: readonly number[]) => {
      seen.push(list);
      return { size: list.length };
    });
    const list = [1, 2, 3];
    const first = sizeOf(list);
    expect(sizeOf(list)).toBe(first);
    expect(first).toEqual({ size: 3 });
    expect(sizeOf([1, 2, 3])).not.toBe(first);
    expect(seen).toHaveLength(2);
  });

  it("keeps the result out of the key's keys, spreads and JSON, apart from another function's", () => {
    const body = { scopes: ["read:jira-work"] };
    const countOf = lazyPer((value: { scopes: string[] }) => ({ count: value.scopes.length }));
    const firstOf = lazyPer((value: { scopes: string[] }) => value.scopes[0]);
    expect(countOf(body)).toEqual({ count: 1 });
    expect(firstOf(body)).toBe("read:jira-work");
    expect(countOf(body)).toBe(countOf(body));
    expect(Object.keys(body)).toEqual(["scopes"]);
    expect({ ...body }).toStrictEqual({ scopes: ["read:jira-work"] });
    expect(JSON.stringify(body)).toBe('{"scopes":["read:jira-work"]}');
  });

  it("keeps a null result as built", () => {
    let builds = 0;
    const none = lazyPer((_key: object) => {
      builds++;
      return null;
    });
    const key = {};
    expect(none(key)).toBeNull();
    expect(none(key)).toBeNull();
    expect(builds).toBe(1);
  });

  it("builds once for keys that take no property: a frozen object, a lazy list", () => {
    let builds = 0;
    const built = lazyPer((_key: object) => ({ build: ++builds }));
    const frozen = Object.freeze({ a: 1 });
    const list = lazyList(2, (index) => index);
    expect(built(frozen)).toBe(built(frozen));
    expect(built(list)).toBe(built(list));
    expect(builds).toBe(2);
    expect(Object.getOwnPropertySymbols(frozen)).toEqual([]);
  });

  it("unkept: the kept result when there is one, else one built and not kept", () => {
    let builds = 0;
    const built = lazyPer((_key: object) => ({ build: ++builds }));
    const key = {};
    const once = built.unkept(key);
    expect(once).toEqual({ build: 1 });
    expect(Object.getOwnPropertySymbols(key)).toEqual([]);
    expect(built.unkept(key)).not.toBe(once);
    const kept = built(key);
    expect(built.unkept(key)).toBe(kept);
    // A key that takes no property keeps its result in the WeakMap: unkept finds it there too.
    const frozen = Object.freeze({});
    const keptFrozen = built(frozen);
    expect(built.unkept(frozen)).toBe(keptFrozen);
    expect(builds).toBe(4);
  });
});
