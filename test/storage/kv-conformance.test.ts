/**
 * The KV conformance suite (kv-conformance.ts) against the stores that run in Node: the in-memory one the
 * scraper tests use, the folder store behind `npm run scrape` and data/, and the benchmark's counting one.
 * Workers KV itself runs the same suite in test/storage/kv-conformance.workerd.test.ts.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { CountingKv } from "../../bench/lib/counting-kv";
import { FileKv } from "../../scraper/file-kv";
import { MemoryKv } from "../helpers/memory-kv";
import { describeKvConformance } from "./kv-conformance";

let dir = "";
let folders = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "file-kv-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describeKvConformance("MemoryKv (test/helpers/memory-kv.ts)", () => new MemoryKv());
describeKvConformance("FileKv (scraper/file-kv.ts)", () => new FileKv(join(dir, `kv-${++folders}`)));
describeKvConformance("CountingKv (bench/lib/counting-kv.ts)", () => new CountingKv());
