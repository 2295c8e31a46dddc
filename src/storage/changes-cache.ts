/**
 * The changelog for /changes: the manifest's history and the `Changes` of its versions, from KV when
 * the served catalog comes from KV, or from the snapshot bundled from data/ when it does not.
 * `changes/<version>` values are immutable, so each is read once and kept in the isolate by key.
 * The manifest is read on every call (one KV read): /changes is not the hot path.
 */
import { ChangesSchema, ManifestSchema, type Changes, type Manifest } from "../catalog/schema";
import type { CatalogSource } from "./catalog-cache";
import { CatalogStore, type KvLike } from "./catalog-store";

export type HistoryItem = Manifest["history"][number];

/** The part of `data/snapshot.ts`'s loader this module uses (`changes` is absent from older snapshots). */
export type ChangesSnapshotLoader = () => Promise<{ manifest: unknown; changes?: Record<string, unknown> }>;

export interface ChangelogSource {
  source: CatalogSource;
  /** The newest version: what the answer depends on (the ETag). */
  version: string;
  publishedAt: string;
  /** Newest first, as the manifest lists them (the latest 100). */
  history: readonly HistoryItem[];
  /** Why the changelog does not come from where the served catalog does; absent when all is well. */
  problem?: string;
  /** The changes of these history items, newest first; items whose changes cannot be read are in `unavailable`. */
  load(
    items: readonly HistoryItem[],
  ): Promise<{ changes: Changes[]; unavailable: { version: string; reason: string }[] }>;
}

const cached = new Map<string, Changes>();
let snapshotManifest: Manifest | undefined;

/** The changelog matching the served catalog's source: KV's manifest, or the snapshot's. */
export async function changelogSource(
  kv: KvLike,
  loadSnapshot: ChangesSnapshotLoader,
  source: CatalogSource,
): Promise<ChangelogSource> {
  if (source === "kv") {
    const store = new CatalogStore(kv);
    let problem: string;
    try {
      const manifest = await store.readManifest();
      if (manifest) return fromKv(store, manifest);
      problem = "KV holds no catalog any more; the changelog is the snapshot's";
    } catch (error) {
      problem = `KV could not be read (${error instanceof Error ? error.message : String(error)}); the changelog is the snapshot's`;
    }
    return { ...(await fromSnapshot(loadSnapshot)), problem };
  }
  return fromSnapshot(loadSnapshot);
}

function fromKv(store: CatalogStore, manifest: Manifest): ChangelogSource {
  forgetOutside("kv", manifest.history);
  return {
    source: "kv",
    version: manifest.version,
    publishedAt: manifest.publishedAt,
    history: manifest.history,
    load: (items) =>
      loadEach(items, "kv", async (key) => {
        const changes = await store.readChanges(key);
        if (!changes) throw new Error(`${key} is missing from KV`);
        return changes;
      }),
  };
}

async function fromSnapshot(loadSnapshot: ChangesSnapshotLoader): Promise<ChangelogSource> {
  const snapshot = await loadSnapshot();
  snapshotManifest ??= ManifestSchema().parse(snapshot.manifest);
  const manifest = snapshotManifest;
  return {
    source: "snapshot",
    version: manifest.version,
    publishedAt: manifest.publishedAt,
    history: manifest.history,
    load: (items) =>
      loadEach(items, "snapshot", async (key) => {
        const value = snapshot.changes?.[key];
        if (value === undefined) throw new Error(`${key} is not bundled in the snapshot`);
        const parsed = ChangesSchema().safeParse(value);
        if (!parsed.success)
          throw new Error(`${key} in the snapshot is corrupt: ${parsed.error.issues[0]?.message ?? "invalid"}`);
        return parsed.data;
      }),
  };
}

async function loadEach(
  items: readonly HistoryItem[],
  source: CatalogSource,
  read: (key: string) => Promise<Changes>,
): Promise<{ changes: Changes[]; unavailable: { version: string; reason: string }[] }> {
  const results = await Promise.all(
    items.map(async (item) => {
      const cacheKey = `${source}:${item.changesKey}`;
      const held = cached.get(cacheKey);
      if (held) return { item, changes: held };
      try {
        const changes = await read(item.changesKey);
        cached.set(cacheKey, changes);
        return { item, changes };
      } catch (error) {
        return { item, reason: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  const changes: Changes[] = [];
  const unavailable: { version: string; reason: string }[] = [];
  for (const result of results) {
    if ("changes" in result && result.changes) changes.push(result.changes);
    else unavailable.push({ version: result.item.version, reason: "reason" in result ? result.reason : "unreadable" });
  }
  return { changes, unavailable };
}

/** Drops held changes the history no longer lists, so a long-lived isolate does not accumulate them. */
function forgetOutside(source: CatalogSource, history: readonly HistoryItem[]): void {
  const listed = new Set(history.map((item) => `${source}:${item.changesKey}`));
  for (const key of cached.keys()) if (key.startsWith(`${source}:`) && !listed.has(key)) cached.delete(key);
}

/** How many `changes/<version>` values this isolate holds (tests). */
export function changesCacheSize(): number {
  return cached.size;
}

/** Forget everything held (tests). */
export function resetChangesCache(): void {
  cached.clear();
  snapshotManifest = undefined;
}
