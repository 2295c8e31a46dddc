import { describe, expect, it } from "vitest";
import { lazy, lazyObject } from "../src/lazy";

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
