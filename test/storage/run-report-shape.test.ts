/**
 * checkRunReportShape (what GET /health reads of the last run, without zod) against RunReportSchema on
 * real and mutated reports: the same reports accepted, and the same value kept (unknown fields left out).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type RunReport, RunReportSchema } from "../../src/catalog/schema";
import { CatalogStore, checkRunReportShape, CorruptValueError, KEYS } from "../../src/storage/catalog-store";
import { MemoryKv } from "../helpers/memory-kv";

const committed = JSON.parse(readFileSync(new URL("../../data/run/latest.json", import.meta.url), "utf8")) as RunReport;

/** Reports of each kind a run writes: published with a registry, failed with reasons and warnings, locked. */
const REPORTS: unknown[] = [
  committed,
  {
    startedAt: "2026-12-05T04:00:00.000Z",
    finishedAt: "2026-12-05T04:00:03.000Z",
    outcome: "failed",
    version: null,
    message: "every product failed",
    products: {
      jira: { status: "failed", reason: "http", message: "503 from upstream", warnings: ["slow", "retried"] },
      bitbucket: { status: "unchanged", endpoints: 331, scopes: 60, changes: 0 },
    },
    registry: { status: "failed", version: "13.7.0", reason: "tarball", message: "bad gzip" },
  },
  { startedAt: "a", finishedAt: "b", outcome: "locked", version: null, products: {} },
];

const WRONG_VALUES: unknown[] = [null, true, 0, -1, 1.5, 2 ** 53, "x", "", [], ["x"], {}, { status: "published" }];

/** Every report with one field changed: removed, set to each wrong value, or an unknown field added beside it. */
function* mutations(report: unknown, path: string[] = []): Generator<{ name: string; value: unknown }> {
  if (typeof report !== "object" || report === null || Array.isArray(report)) return;
  const record = report as Record<string, unknown>;
  const name = (what: string) => `${[...path, what].join(".")}`;
  yield { name: name("(unknown field added)"), value: { ...record, extra: { nested: 1 } } };
  for (const key of Object.keys(record)) {
    const { [key]: _, ...without } = record;
    yield { name: name(`${key} removed`), value: without };
    for (const wrong of WRONG_VALUES)
      yield { name: name(`${key} = ${JSON.stringify(wrong)}`), value: { ...record, [key]: wrong } };
    for (const inner of mutations(record[key], [...path, key]))
      yield { name: inner.name, value: { ...record, [key]: inner.value } };
  }
  if (path.at(-1) === "products")
    for (const key of ["platform", "confluence", "nope", "__proto__", "constructor"])
      yield { name: name(`product ${key} added`), value: { ...record, [key]: { status: "unchanged" } } };
}

function byHand(value: unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: checkRunReportShape(KEYS.lastRun, value) };
  } catch (error) {
    expect(error).toBeInstanceOf(CorruptValueError);
    return { ok: false };
  }
}

function byZod(value: unknown): { ok: true; value: unknown } | { ok: false } {
  const parsed = RunReportSchema().safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}

describe("checkRunReportShape", () => {
  it("keeps each report a run writes as zod does", () => {
    for (const report of REPORTS) {
      expect(byZod(report).ok).toBe(true);
      expect(JSON.stringify(byHand(report))).toBe(JSON.stringify(byZod(report)));
    }
  });

  it("accepts and keeps what RunReportSchema does on every one-field mutation of them", () => {
    const differences: string[] = [];
    let accepted = 0;
    let refused = 0;
    for (const report of REPORTS)
      for (const { name, value } of mutations(JSON.parse(JSON.stringify(report)))) {
        // Through JSON, as KV holds it (a `__proto__` key is an own field of what JSON.parse makes).
        const stored = JSON.parse(JSON.stringify(value));
        const [hand, zod] = [byHand(stored), byZod(stored)];
        if (zod.ok) accepted++;
        else refused++;
        if (JSON.stringify(hand) !== JSON.stringify(zod))
          differences.push(`${name}: by hand ${JSON.stringify(hand)}, zod ${JSON.stringify(zod)}`.slice(0, 300));
      }
    expect(differences).toEqual([]);
    // Both kinds are exercised, many times.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(200);
  });

  it("refuses what is not a report at all", () => {
    for (const value of [null, "report", [], 7]) expect(byHand(value).ok).toBe(false);
  });
});

describe("CatalogStore.readLastRunForServing", () => {
  it("reads the stored report, null when absent, and throws CorruptValueError for a bad one", async () => {
    const kv = new MemoryKv();
    const store = new CatalogStore(kv);
    expect(await store.readLastRunForServing()).toBeNull();
    kv.values.set(KEYS.lastRun, JSON.stringify({ ...committed, extra: 1 }));
    expect(await store.readLastRunForServing()).toEqual(committed);
    kv.values.set(KEYS.lastRun, JSON.stringify({ ...committed, outcome: "maybe" }));
    await expect(store.readLastRunForServing()).rejects.toThrow(CorruptValueError);
    kv.values.set(KEYS.lastRun, "{not json");
    await expect(store.readLastRunForServing()).rejects.toThrow(CorruptValueError);
  });
});
