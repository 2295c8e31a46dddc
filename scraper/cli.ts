/**
 * `npm run scrape`: the scraper pipeline from Node, for building data/ and for operators.
 *   (no arguments)        rebuild the committed snapshot in data/ from ../shared/atlassian-docs
 *   --from PATH...        read documents from these files or folders instead
 *   --live                fetch the live documents from Atlassian (dac-static / developer.atlassian.com)
 *   --out DIR             write the catalog here instead of data/
 *   --registry FILE.tgz   read the scope registry from this tarball of the pinned @forge/manifest version
 *                         (npm pack @forge/manifest@<version>); with --live it is fetched from the npm registry
 *   --history             first publish a version from ../shared/atlassian-docs/history/ (older copies of some
 *                         documents), then run as usual, so the changelog holds Atlassian's real drift
 */
import { existsSync, statSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Manifest } from "../src/catalog/schema";
import { CatalogStore } from "../src/storage/catalog-store";
import { FileKv } from "./file-kv";
import { liveLoaders } from "./live";
import { REGISTRY_PACKAGE, registryFromTarball, tarballUrl } from "./registry";
import { runScrape, type DocumentLoader, type PageLoader, type RunScrapeOptions } from "./run";
import { SOURCES, type DocumentSource, type ProductSource } from "./sources";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
export const SHARED_DOCS = resolve(ROOT, "../shared/atlassian-docs");
/** Same cap as the live fetch: the largest published document is under 3 MB. */
const MAX_BYTES = 16 * 1024 * 1024;

/** The exit status of a run that found another run's lease. */
const EXIT_LOCKED = 75;

/** Older copies of some documents, named like their current counterpart plus a date. */
export const HISTORY_DOCS = join(SHARED_DOCS, "history");

const USAGE = `usage: npm run scrape -- [--from PATH...] [--live] [--out DIR] [--history]
  no arguments   rebuild data/ from ../shared/atlassian-docs
  --from PATH    documents to read (files or folders; file names start with a source id, e.g. jira-platform.v3)
  --live         fetch the documents from Atlassian's live URLs
  --out DIR      where to write the catalog (default: data/)
  --registry F   read the scope registry from F, a tarball of the pinned ${REGISTRY_PACKAGE.package}@${REGISTRY_PACKAGE.version}
                 (npm pack ${REGISTRY_PACKAGE.package}@${REGISTRY_PACKAGE.version}); with --live it is fetched from the npm
                 registry; without either, the catalog keeps the registry it names
  --history      replay history into an empty catalog: first publish a version built from the documents in
                 ../shared/atlassian-docs/history/ (each file stands in for its current counterpart by name,
                 e.g. jira-platform.v3.2026-06-10.json for jira-platform.v3; the other documents are the
                 current ones), then run as usual, so the changelog (changes/<version>) holds Atlassian's
                 real drift. Not with --live. To rebuild the committed snapshot:
                 npm pack ${REGISTRY_PACKAGE.package}@${REGISTRY_PACKAGE.version} --pack-destination /tmp && rm -rf data &&
                 npm run scrape -- --history --registry /tmp/${REGISTRY_PACKAGE.package.replace("@", "").replace("/", "-")}-${REGISTRY_PACKAGE.version}.tgz
exit status: 0 done, 1 a product or the run failed, 2 usage, 75 another run holds the lease (the message says
whose and since when; a lease is taken over once it expires, 15 minutes after it was taken)`;

const OPTIONS = {
  from: { type: "string", multiple: true },
  live: { type: "boolean" },
  out: { type: "string" },
  history: { type: "boolean" },
  registry: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  // `--from a b c` reads naturally; parseArgs leaves b and c as positionals.
  const from = [...(args.values.from ?? []), ...args.positionals];
  if (args.values.live && from.length > 0) {
    console.error(`--live and --from exclude each other\n${USAGE}`);
    return 2;
  }
  if (args.values.live && args.values.history) {
    console.error(`--history replays saved documents and excludes --live\n${USAGE}`);
    return 2;
  }
  const out = resolve(args.values.out ?? join(ROOT, "data"));
  if (args.values.history && (await new CatalogStore(new FileKv(out)).readManifest().catch(() => "unreadable"))) {
    // On top of an existing catalog the replay would publish the drift backwards, then forwards again.
    console.error(
      `--history replays into an empty catalog, but ${out} already holds one: remove it first (rm -rf ${out})`,
    );
    return 2;
  }

  let sources: readonly ProductSource[] = SOURCES;
  let loadDocument: DocumentLoader;
  let loadPage: PageLoader | undefined;
  let registry: RunScrapeOptions["registry"];
  if (args.values.registry) {
    const file = resolve(args.values.registry);
    if (!existsSync(file)) {
      console.error(`not found: ${file}\n${USAGE}`);
      return 2;
    }
    registry = {
      ...REGISTRY_PACKAGE,
      load: async () =>
        registryFromTarball(
          new Uint8Array(await readFile(file)),
          { ...REGISTRY_PACKAGE, url: tarballUrl(REGISTRY_PACKAGE) },
          new Date().toISOString(),
        ),
    };
  }
  if (args.values.live) {
    const live = liveLoaders();
    ({ loadDocument, loadPage } = live);
    registry ??= live.registry;
  } else {
    const paths = from.length > 0 ? from.map((path) => resolve(path)) : [SHARED_DOCS];
    const missing = paths.filter((path) => !existsSync(path));
    if (missing.length > 0) {
      console.error(
        `not found: ${missing.join(", ")}${from.length === 0 ? "\n(the shared documents are absent: pass --from PATH or --live)" : ""}`,
      );
      return 2;
    }
    const files = await documentFiles(paths);
    const chosen = chooseFiles(files, from.length > 0);
    if ("error" in chosen) {
      console.error(chosen.error);
      return 2;
    }
    sources = chosen.sources;
    loadDocument = (source) => readDocument(chosen.files.get(source.id) ?? "");

    if (args.values.history) {
      const replay = await historyReplay(chosen.files);
      if ("error" in replay) {
        console.error(replay.error);
        return 2;
      }
      console.log(
        `replaying history: ${[...replay.replaced].map(([id, file]) => `${id} as ${basename(file)}`).join(", ")}, into ${out}`,
      );
      const report = await runScrape({
        sources: replay.sources,
        loadDocument: (source) => readDocument(replay.files.get(source.id) ?? ""),
        store: new CatalogStore(new FileKv(out)),
        log: (line) => console.log(`  ${line}`),
      });
      if (
        report.outcome !== "published" ||
        Object.values(report.products).some((outcome) => outcome.status === "failed")
      ) {
        console.error(
          `the history replay did not publish cleanly (${report.outcome}${report.message ? `: ${report.message}` : ""}); stopping`,
        );
        return 1;
      }
      console.log(`  history version ${report.version}\n`);
    }
  }

  console.log(
    `scraping ${sources.map((source) => `${source.product} (${source.documents.length})`).join(", ")} into ${out}`,
  );
  const report = await runScrape({
    sources,
    loadDocument,
    loadPage,
    registry,
    store: new CatalogStore(new FileKv(out)),
    log: (line) => console.log(`  ${line}`),
  });

  if (report.outcome === "locked") {
    // Not a success: nothing was scraped. 75 is EX_TEMPFAIL (sysexits.h): try again later.
    console.error(`\nlocked: ${report.message}`);
    return EXIT_LOCKED;
  }

  const manifest = await new CatalogStore(new FileKv(out)).readManifest();
  if (manifest) await writeSnapshotModule(out, manifest);

  console.log(
    `\n${report.outcome}${report.version ? `: catalog version ${report.version}` : ""}${report.message ? ` (${report.message})` : ""}`,
  );
  if (report.registry) {
    const { status, version, scopes, reason, message } = report.registry;
    console.log(
      `  ${"scope registry".padEnd(24)} ${status.padEnd(9)} ${version}${scopes === undefined ? "" : `, ${scopes} scopes`}${reason ? ` [${reason}] ${message}` : ""}`,
    );
  }
  for (const [product, outcome] of Object.entries(report.products)) {
    const counts = outcome.endpoints === undefined ? "" : ` ${outcome.endpoints} endpoints, ${outcome.scopes} scopes`;
    const changes = outcome.changes ? `, ${outcome.changes} changes` : "";
    const why = outcome.reason ? ` [${outcome.reason}] ${outcome.message}` : "";
    console.log(`  ${product.padEnd(24)} ${outcome.status.padEnd(9)}${counts}${changes}${why}`);
    for (const warning of outcome.warnings ?? []) console.log(`    warning: ${warning}`);
  }
  return report.outcome === "failed" || Object.values(report.products).some((outcome) => outcome.status === "failed")
    ? 1
    : 0;
}

/**
 * `<out>/snapshot.ts`: the worker's fallback when KV holds no catalog. Dynamic imports keep the JSON
 * out of the isolate's start-up: it is evaluated only when the fallback is needed. It also carries the
 * changelog of every version in the manifest's history whose `changes/<version>.json` is in `out`.
 */
async function writeSnapshotModule(out: string, manifest: Manifest): Promise<void> {
  const entry = (key: string) =>
    `      ${JSON.stringify(key)}: (await import(${JSON.stringify(`./${key}.json`)})).default,`;
  const shards = Object.values(manifest.products).map((pointer) => entry(pointer.key));
  const changes = manifest.history
    .map((item) => item.changesKey)
    .filter((key) => existsSync(join(out, `${key}.json`)))
    .map(entry);
  const registries = manifest.registry ? [entry(manifest.registry.key)] : [];
  const module = `// Generated by \`npm run scrape\` from manifest.json: the catalog bundled into the worker. Do not edit.
export const SNAPSHOT_VERSION = ${JSON.stringify(manifest.version)};

export async function loadSnapshot(): Promise<{ manifest: unknown; shards: Record<string, unknown>; changes: Record<string, unknown>; registries: Record<string, unknown> }> {
  return {
    manifest: (await import("./manifest.json")).default,
    shards: {
${shards.join("\n")}
    },
    registries: {
${registries.join("\n")}
    },
    changes: {
${changes.join("\n")}
    },
  };
}
`;
  await writeFile(join(out, "snapshot.ts"), module);
}

/**
 * The documents of the replayed version: each file in history/ stands in for its current counterpart
 * (matched by name prefix, like --from files); every other document is the current one.
 */
async function historyReplay(
  current: ReadonlyMap<string, string>,
): Promise<
  { sources: ProductSource[]; files: Map<string, string>; replaced: Map<string, string> } | { error: string }
> {
  if (!existsSync(HISTORY_DOCS)) return { error: `--history: ${HISTORY_DOCS} is absent` };
  const files = await documentFiles([HISTORY_DOCS]);
  if (files.length === 0) return { error: `--history: ${HISTORY_DOCS} holds no .json documents` };
  const chosen = chooseFiles(files, true);
  if ("error" in chosen) return { error: `--history: ${chosen.error}` };
  const merged = new Map([...current, ...chosen.files]);
  const sources = SOURCES.map((source) => ({
    ...source,
    documents: source.documents.filter((document) => merged.has(document.id)),
  })).filter((source) => source.documents.length > 0);
  return { sources, files: merged, replaced: chosen.files };
}

async function documentFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) {
      for (const entry of (await readdir(path)).sort()) if (entry.endsWith(".json")) files.push(join(path, entry));
    } else files.push(path);
  }
  return files;
}

/**
 * Maps files to sources by name: `jira-platform.v3.json` and `jira-platform.v3.2026-06-10.json` are both
 * the Jira v3 document. Products run with the documents given; with explicit files an unknown name is an error.
 */
function chooseFiles(
  files: readonly string[],
  strict: boolean,
): { sources: ProductSource[]; files: Map<string, string> } | { error: string } {
  const byId = new Map<string, string>();
  const all = SOURCES.flatMap((source) => source.documents);
  for (const file of files) {
    const name = basename(file);
    // Longest id first, so `confluence.v2` is not taken for a `confluence.v2x` file and so on.
    const match = [...all]
      .sort((a, b) => b.id.length - a.id.length)
      .find((document) => name === `${document.id}.json` || name.startsWith(`${document.id}.`));
    if (!match) {
      if (strict)
        return {
          error: `${file}: no source is named like this; expected one of ${all.map((document) => document.file).join(", ")}`,
        };
      continue;
    }
    if (byId.has(match.id)) return { error: `${file} and ${byId.get(match.id)} are both ${match.id}; give one` };
    byId.set(match.id, file);
  }
  const sources = SOURCES.map((source) => ({
    ...source,
    documents: source.documents.filter((document: DocumentSource) => byId.has(document.id)),
  })).filter((source) => source.documents.length > 0);
  if (sources.length === 0) return { error: `no known documents among ${files.join(", ")}` };
  return { sources, files: byId };
}

async function readDocument(file: string): Promise<Awaited<ReturnType<DocumentLoader>>> {
  try {
    const size = statSync(file).size;
    if (size > MAX_BYTES)
      return { ok: false, reason: "too_large", message: `${file} is ${size} bytes, over the ${MAX_BYTES}-byte cap` };
    const text = await readFile(file, "utf8");
    return { ok: true, status: "loaded", text, bytes: size };
  } catch (error) {
    return { ok: false, reason: "read_error", message: (error as Error).message };
  }
}

process.exitCode = await main(process.argv.slice(2));
