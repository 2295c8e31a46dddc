/** The served catalog's endpoints that publish scopes, read from data/ (the manifest's current shards), keyed `METHOD path`. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Endpoint } from "../../src/catalog/schema";
import { expandAlternatives } from "../../src/storage/shard-layout";

const DATA = resolve(import.meta.dirname, "../../data");

export function scopedEndpoints(): Map<string, Endpoint> {
  const manifest = JSON.parse(readFileSync(join(DATA, "manifest.json"), "utf8")) as {
    products: Record<string, { key: string }>;
  };
  const byLine = new Map<string, Endpoint>();
  for (const { key } of Object.values(manifest.products)) {
    // Stored, an endpoint names its alternatives by position in the shard's table: expanded, the shard.
    const shard = expandAlternatives(JSON.parse(readFileSync(join(DATA, `${key}.json`), "utf8"))) as {
      endpoints: Endpoint[];
    };
    for (const endpoint of shard.endpoints)
      if (endpoint.alternatives.length > 0) byLine.set(`${endpoint.method} ${endpoint.path}`, endpoint);
  }
  return byLine;
}

/** A set file's endpoints (one `METHOD path` line each, as bench/plan/granular-worst.txt), from `catalog`. */
export function setEndpoints(file: string | URL, catalog: ReadonlyMap<string, Endpoint>): Endpoint[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const endpoint = catalog.get(line);
      if (!endpoint) throw new Error(`${String(file)}: ${line} is not in the catalog`);
      return endpoint;
    });
}
