/** data/'s shard files as the shards (expanded as snapshot-shards.ts says), read with Node's fs. */
import { readFileSync } from "node:fs";
import type { ProductShard } from "../../src/catalog/schema";
import { expandAlternatives } from "../../src/storage/shard-layout";

const DATA = new URL("../../data/", import.meta.url);

/** The shard data/ holds under `key` (a manifest pointer's), read from its file and expanded. */
export function readDataShard(key: string): ProductShard {
  return expandAlternatives(JSON.parse(readFileSync(new URL(`${key}.json`, DATA), "utf8"))) as ProductShard;
}
