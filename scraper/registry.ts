/**
 * The scope registry: every scope name Atlassian accepts in an app, as Atlassian ships it in the npm
 * package `@forge/manifest` (out/scopes/*.json, the lists the Forge CLI checks manifests against).
 * The package version is pinned here; the run fetches its tarball from the npm registry, gunzips it
 * (DecompressionStream: Workers and Node 20), reads the tar entries, and keeps these files:
 * - shipyard-scopes.json: every valid app scope (required);
 * - teamwork-graph-scopes.json: the Teamwork Graph scopes (getTeamworkGraphScopes() in the package);
 * - deprecated-shipyard-scopes.json: deprecated scopes;
 * - shipyard-scopes-with-interactive-consent.json: scopes a user must consent to in person.
 * Any other out/scopes/*.json holding a list of names is read too, its names flagged with nothing.
 *
 * Fetching is I/O (loadRegistry); the rest (gunzip aside) is pure and returns Results.
 */
import { registryProductOf } from "../src/catalog/scope-registry";
import type { RegistryScope, RegistrySource, ScopeRegistry } from "../src/catalog/schema";
import { fetchDocument, type FetchLike } from "./fetch";

/** The package and version the registry is built from. Bump the version to refresh it (see the README). */
export const REGISTRY_PACKAGE = { package: "@forge/manifest", version: "13.7.0" } as const;

/** The npm registry's tarball URL of a package version (`@scope/name` → `.../@scope/name/-/name-<v>.tgz`). */
export function tarballUrl(pkg: { package: string; version: string }): string {
  const bare = pkg.package.slice(pkg.package.lastIndexOf("/") + 1);
  return `https://registry.npmjs.org/${pkg.package}/-/${bare}-${pkg.version}.tgz`;
}

export const NPM_REGISTRY_HOST = "registry.npmjs.org";

/** Where in the package the scope lists are. */
const SCOPES_DIR = "package/out/scopes/";
const REQUIRED_FILE = "shipyard-scopes.json";
const FLAG_FILES: Record<string, "teamworkGraph" | "deprecated" | "interactiveConsent"> = {
  "teamwork-graph-scopes.json": "teamworkGraph",
  "deprecated-shipyard-scopes.json": "deprecated",
  "shipyard-scopes-with-interactive-consent.json": "interactiveConsent",
};

/** Bounds on what a tarball may hold: @forge/manifest 13.7.0 is 307 KB packed, its scope lists 26 KB. */
const MAX_TARBALL_BYTES = 8 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
const MAX_SCOPES = 20_000;

/** A registry must keep these: a version that loses one is refused. */
const CANARIES = ["read:me", "read:jira-work", "read:board-scope:jira-software", "read:page:confluence"];
/** A registry that shrinks below this share of the previous one is refused. */
const MIN_SHARE_OF_PREVIOUS = 0.8;

export type RegistryResult<T> = { ok: true; value: T } | { ok: false; reason: string; message: string };

const failure = (reason: string, message: string): { ok: false; reason: string; message: string } => ({
  ok: false,
  reason,
  message,
});

/** Gunzips bytes with the platform's DecompressionStream, within a size cap. */
export async function gunzip(data: Uint8Array, maxBytes = MAX_UNPACKED_BYTES): Promise<RegistryResult<Uint8Array>> {
  try {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return failure("too_large", `the tarball unpacks to more than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { ok: true, value: out };
  } catch (error) {
    return failure(
      "not_gzip",
      `the tarball is not gzip data: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * The regular files of a tar archive (ustar, as npm packs), by path, keeping only those `keep` accepts.
 * PAX and GNU long-name headers are honoured for the next entry's name.
 */
export function readTar(data: Uint8Array, keep: (path: string) => boolean): RegistryResult<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const text = new TextDecoder();
  const field = (offset: number, length: number) => {
    const bytes = data.subarray(offset, offset + length);
    const end = bytes.indexOf(0);
    return text.decode(end >= 0 ? bytes.subarray(0, end) : bytes);
  };
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= data.length) {
    // Two zero blocks end the archive; one is enough to stop.
    if (data.subarray(offset, offset + 512).every((byte) => byte === 0)) break;
    const size = Number.parseInt(field(offset + 124, 12).trim() || "0", 8);
    if (!Number.isFinite(size) || size < 0) return failure("not_tar", `bad size in the tar header at byte ${offset}`);
    const type = field(offset + 156, 1) || "0";
    const prefix = field(offset + 257, 6).startsWith("ustar") ? field(offset + 345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${field(offset, 100)}` : field(offset, 100));
    const start = offset + 512;
    if (start + size > data.length) return failure("not_tar", `the tar entry ${name} runs past the end of the archive`);
    const body = data.subarray(start, start + size);
    longName = undefined;
    if (type === "x") longName = /\d+ path=([^\n]*)\n/.exec(text.decode(body))?.[1];
    else if (type === "L") longName = text.decode(body).replace(/\0+$/, "");
    else if ((type === "0" || type === "\0") && keep(name)) files.set(name, body.slice());
    offset = start + Math.ceil(size / 512) * 512;
  }
  return { ok: true, value: files };
}

/** The registry from the package's scope lists (paths as in the tarball, `package/out/scopes/*.json`). No I/O. */
export function parseRegistry(
  files: ReadonlyMap<string, Uint8Array | string>,
  source: Omit<RegistrySource, "files">,
  fetchedAt: string,
): RegistryResult<ScopeRegistry> {
  const lists = new Map<string, string[]>();
  for (const [path, content] of files) {
    if (!path.startsWith(SCOPES_DIR) || !path.endsWith(".json") || path.slice(SCOPES_DIR.length).includes("/"))
      continue;
    const file = path.slice(SCOPES_DIR.length);
    let value: unknown;
    try {
      value = JSON.parse(typeof content === "string" ? content : new TextDecoder().decode(content));
    } catch (error) {
      return failure("not_json", `${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!Array.isArray(value) || value.some((name) => typeof name !== "string"))
      return failure("unexpected_shape", `${file} is not a list of scope names`);
    const bad = (value as string[]).find((name) => !/^[A-Za-z0-9_.:-]{1,200}$/.test(name));
    if (bad !== undefined)
      return failure("unexpected_shape", `${file} lists ${JSON.stringify(bad)}, which is not a scope name`);
    lists.set(file, value as string[]);
  }
  if (!lists.has(REQUIRED_FILE))
    return failure("missing_file", `the package has no out/scopes/${REQUIRED_FILE}: its layout changed`);

  const byName = new Map<string, RegistryScope>();
  // The main list first, so every flag file only flags; a name only a flag file lists is still a scope.
  const order = [REQUIRED_FILE, ...[...lists.keys()].filter((file) => file !== REQUIRED_FILE).sort()];
  for (const file of order) {
    const flag = FLAG_FILES[file];
    for (const name of lists.get(file) ?? []) {
      let scope = byName.get(name);
      if (!scope) byName.set(name, (scope = { name, product: registryProductOf(name) }));
      if (flag) scope[flag] = true;
    }
  }
  if (byName.size > MAX_SCOPES) return failure("too_large", `${byName.size} scopes, over ${MAX_SCOPES}`);
  const scopes = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    ok: true,
    value: {
      schemaVersion: 1,
      source: { ...source, files: order.map((file) => `out/scopes/${file}`) },
      fetchedAt,
      scopes,
    },
  };
}

/** Sanity gates before a registry is published: canaries, and no sudden shrink. No I/O. */
export function validateRegistry(
  registry: ScopeRegistry,
  previous?: { scopes: number },
): RegistryResult<ScopeRegistry> {
  const names = new Set(registry.scopes.map((scope) => scope.name));
  const lost = CANARIES.filter((name) => !names.has(name));
  if (lost.length > 0) return failure("canary_failed", `the registry lacks ${lost.join(", ")}`);
  if (previous && names.size < previous.scopes * MIN_SHARE_OF_PREVIOUS)
    return failure(
      "shrunk",
      `${names.size} scopes against ${previous.scopes} before: more than ${Math.round((1 - MIN_SHARE_OF_PREVIOUS) * 100)}% gone`,
    );
  return { ok: true, value: registry };
}

/** Reads a registry from a package tarball's bytes (.tgz). */
export async function registryFromTarball(
  tarball: Uint8Array,
  source: Omit<RegistrySource, "files">,
  fetchedAt: string,
): Promise<RegistryResult<ScopeRegistry>> {
  const tar = await gunzip(tarball);
  if (!tar.ok) return tar;
  const files = readTar(
    tar.value,
    (path) => path === "package/package.json" || (path.startsWith(SCOPES_DIR) && path.endsWith(".json")),
  );
  if (!files.ok) return files;
  // The tarball must be the version it is recorded as (a --registry file could be any version).
  const manifest = files.value.get("package/package.json");
  let packed: { name?: unknown; version?: unknown } = {};
  try {
    packed = manifest ? JSON.parse(new TextDecoder().decode(manifest)) : {};
  } catch {
    // checked below
  }
  if (packed.name !== source.package || packed.version !== source.version)
    return failure(
      "wrong_package",
      `the tarball holds ${String(packed.name)}@${String(packed.version)}, not ${source.package}@${source.version}`,
    );
  return parseRegistry(files.value, source, fetchedAt);
}

/** Loads the pinned package version from the npm registry and reads its registry. */
export type RegistryLoader = () => Promise<RegistryResult<ScopeRegistry>>;

export function liveRegistryLoader(
  fetchImpl?: FetchLike,
  pkg: { package: string; version: string } = REGISTRY_PACKAGE,
  now: () => Date = () => new Date(),
): RegistryLoader {
  return async () => {
    const url = tarballUrl(pkg);
    const fetched = await fetchDocument(url, {
      fetch: fetchImpl,
      accept: "application/octet-stream",
      binary: true,
      maxBytes: MAX_TARBALL_BYTES,
      allowedHosts: [NPM_REGISTRY_HOST],
    });
    if (!fetched.ok) return failure(fetched.reason, fetched.message);
    if (fetched.status !== "fetched" || !fetched.data) return failure("http_error", `${url} sent no body`);
    return registryFromTarball(fetched.data, { ...pkg, url }, now().toISOString());
  };
}
