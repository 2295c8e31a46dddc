/**
 * Concrete request paths made from the catalog's templates, with parameters filled the way real
 * calls fill them: issue keys (ABC-123), numeric ids, UUIDs (Bitbucket's in encoded braces),
 * account ids, slugs, commit hashes, multi-segment file paths. Deterministic for a given seed.
 */
import type { Endpoint } from "../../src/catalog/schema";
import { pick, prng } from "./stats";

const PROJECT_KEYS = ["ABC", "PROJ", "OPS", "WEB", "HELP", "DATA", "MOB", "SEC"];
const WORDS = [
  "alpha",
  "release-notes",
  "web-app",
  "backend",
  "design-system",
  "infra",
  "docs",
  "payments",
  "mobile-ios",
  "sandbox",
];
const FILES = [
  "README.md",
  "src/index.ts",
  "src/lib/parser/tokens.ts",
  "docs/guide/setup.md",
  "package.json",
  "app/models/user.rb",
];
const KEYS = [
  "com.acme.plugin",
  "my-app",
  "build.status",
  "com.example.integration",
  "software",
  "service_desk",
  "customfield_10020",
];

function hex(random: () => number, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

function uuid(random: () => number): string {
  return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`;
}

function numericId(random: () => number): string {
  const magnitude = pick(random, [100, 10_000, 1_000_000, 100_000_000]);
  return String(1 + Math.floor(random() * magnitude));
}

/** A value for a parameter, chosen by its name. */
function paramValue(name: string, random: () => number): string {
  const lower = name.toLowerCase();
  if (lower === "path") return pick(random, FILES);
  if (/idorkey|keyorid/.test(lower)) {
    if (/project/.test(lower)) return random() < 0.5 ? pick(random, PROJECT_KEYS) : numericId(random);
    if (/field/.test(lower)) return random() < 0.5 ? "customfield_10020" : "summary";
    return random() < 0.7 ? `${pick(random, PROJECT_KEYS)}-${1 + Math.floor(random() * 9999)}` : numericId(random);
  }
  if (/uuid/.test(lower) || lower === "selected_user" || lower === "target_username" || lower === "selected_user_id") {
    return `%7B${uuid(random)}%7D`; // Bitbucket: {uuid}, percent-encoded as clients send it
  }
  if (lower === "workspaceid" || lower === "cloudid") return uuid(random);
  if (lower === "workspace") return pick(random, ["acme", "acme-team", "data-platform", `%7B${uuid(random)}%7D`]);
  if (lower === "repo_slug" || lower === "group_slug" || lower === "app_key" || lower === "addon_key")
    return pick(random, WORDS);
  if (/^(commit|revision|node_id|spec|revspec|fingerprint)$/.test(lower))
    return lower === "spec" || lower === "revspec" ? `${hex(random, 12)}..${hex(random, 12)}` : hex(random, 40);
  if (/accountid|userid|memberid|^uid$|teamid/.test(lower)) return `557058:${uuid(random)}`;
  if (/^(project_key|spacekey)$/.test(lower)) return pick(random, PROJECT_KEYS);
  if (
    /issuetype$|^type$|sourcetype|targettype|entitytype|subject_type|relationname|^name$|idorname|labelname|^label$/.test(
      lower,
    )
  )
    return pick(random, WORDS);
  if (/email/.test(lower)) return "jane.doe@example.com";
  if (/filename/.test(lower)) return "report-2026.pdf";
  if (/encoded_id/.test(lower)) return "WyJhY21lIiwid2ViLWFwcCJd";
  if (/key|property|name/.test(lower)) return pick(random, KEYS);
  // id, fooId, foo-id, foo_id, version, versionNumber, buildNumber, position, to, pos...
  return numericId(random);
}

/** Fills every `{param}` of a template, including parameters inside a segment (`{a}-issues-{b}.zip`). */
export function concretePath(template: string, random: () => number): string {
  return template.replace(/\{([^{}]+)\}/g, (_, name: string) => paramValue(name, random));
}

export interface PathCase {
  method: string;
  path: string;
  /** The template the path was made from: every matcher must resolve to it. */
  template: string;
  product: string;
}

/** `count` lookups drawn uniformly over the catalog's (method, template) pairs, so every product appears in proportion to its size. */
export function pathMix(endpoints: readonly Endpoint[], count: number, seed = 20261130): PathCase[] {
  const random = prng(seed);
  const cases: PathCase[] = [];
  for (let i = 0; i < count; i++) {
    const endpoint = pick(random, endpoints);
    cases.push({
      method: endpoint.method,
      path: concretePath(endpoint.path, random),
      template: endpoint.path,
      product: endpoint.product,
    });
  }
  return cases;
}

/** The same lookups in the URL forms users paste (site URL, scoped-token gateway, api.bitbucket.org). */
export function asPastedUrl(entry: PathCase, random: () => number): string {
  if (entry.product === "bitbucket") return `https://api.bitbucket.org${entry.path}`;
  if (entry.product === "assets") return `https://api.atlassian.com${entry.path}`;
  const gateway = entry.product === "confluence" ? "confluence" : "jira";
  return random() < 0.5
    ? `https://acme.atlassian.net${entry.path}?expand=names`
    : `https://api.atlassian.com/ex/${gateway}/${uuid(random)}${entry.path}`;
}
