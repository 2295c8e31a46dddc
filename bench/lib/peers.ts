/**
 * The peer routers of row 1, loaded with the catalog's own (method, template) pairs in each router's
 * syntax. What a router refuses is counted and reported, never hidden.
 */
import FindMyWay from "find-my-way";
import { RegExpRouter } from "hono/router/reg-exp-router";
import type { Endpoint } from "../../src/catalog/schema";

type HTTPVersion = FindMyWay.HTTPVersion.V1;

export interface Refusal {
  method: string;
  template: string;
  reason: string;
}

export interface LoadedPeer {
  name: string;
  /** The template a (method, path) resolves to, or undefined. */
  find: (method: string, path: string) => string | undefined;
  loaded: number;
  refused: Refusal[];
}

const PARAM = /^\{([^{}]+)\}$/;
/** Parameter names as both routers accept them: `property-id` would read as two parameters in find-my-way. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");

/** `/rest/api/3/issue/{issueIdOrKey}` → `/rest/api/3/issue/:issueIdOrKey`; a last `{path}` is the wildcard. */
function findMyWayPath(template: string): string {
  const segments = template.split("/");
  return segments
    .map((segment, index) => {
      if (index === segments.length - 1 && segment === "{path}") return "*";
      const whole = PARAM.exec(segment);
      if (whole) return `:${safeName(whole[1]!)}`;
      // `{repo_name}-issues-{task_id}.zip`: find-my-way splits parameters on `-` and `.`.
      return segment.replace(/\{([^{}]+)\}/g, (_, name: string) => `:${safeName(name)}`);
    })
    .join("/");
}

/** Hono syntax: `:name`, a regex parameter for a segment mixing text and parameters, `:path{.+}` for file paths. */
function honoPath(template: string): string {
  const segments = template.split("/");
  return segments
    .map((segment, index) => {
      if (index === segments.length - 1 && segment === "{path}") return ":path{.+}";
      const whole = PARAM.exec(segment);
      if (whole) return `:${safeName(whole[1]!)}`;
      if (!segment.includes("{")) return segment;
      const regex = segment
        .split(/\{[^{}]+\}/)
        .map((literal) => literal.replace(/[.*+?^$|[\]\\]/g, "\\$&"))
        .join("[^/]+?");
      return `:mixed${index}{${regex}}`;
    })
    .join("/");
}

function pairs(endpoints: readonly Endpoint[]): { method: string; template: string }[] {
  const seen = new Set<string>();
  const out: { method: string; template: string }[] = [];
  for (const endpoint of endpoints) {
    const key = `${endpoint.method} ${endpoint.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: endpoint.method, template: endpoint.path });
  }
  return out;
}

export function loadFindMyWay(endpoints: readonly Endpoint[]): LoadedPeer {
  const router = FindMyWay<HTTPVersion>({ ignoreTrailingSlash: true });
  const refused: Refusal[] = [];
  let loaded = 0;
  const handler = () => {};
  for (const { method, template } of pairs(endpoints)) {
    try {
      router.on(method as FindMyWay.HTTPMethod, findMyWayPath(template), handler, { template });
      loaded++;
    } catch (error) {
      refused.push({ method, template, reason: (error as Error).message });
    }
  }
  return {
    name: "find-my-way 9.10.2",
    find: (method, path) =>
      (router.find(method as FindMyWay.HTTPMethod, path)?.store as { template: string } | undefined)?.template,
    loaded,
    refused,
  };
}

/**
 * Hono's RegExpRouter compiles every route of a method into one regular expression, and refuses a
 * route that makes it ambiguous: a literal segment beside a parameter at the same position
 * (`/issue/createmeta` beside `/issue/{issueIdOrKey}`), which Hono's default SmartRouter answers by
 * falling back to its TrieRouter. Routes are offered in catalog order; the ones refused are reported.
 */
export function loadRegExpRouter(endpoints: readonly Endpoint[]): LoadedPeer {
  const router = new RegExpRouter<string>();
  const refused: Refusal[] = [];
  let loaded = 0;
  for (const { method, template } of pairs(endpoints)) {
    try {
      router.add(method, honoPath(template), template);
      loaded++;
    } catch (error) {
      refused.push({ method, template, reason: (error as Error).constructor.name });
    }
  }
  return {
    name: "Hono RegExpRouter 4.13.19",
    find: (method, path) => router.match(method, path)[0][0]?.[0],
    loaded,
    refused,
  };
}
