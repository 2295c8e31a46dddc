/**
 * The cost of the app's router on an isolate's first request, and per match when warm: the root
 * app's routes added to Hono's default router (SmartRouter over RegExpRouter, which compiles every
 * route into one expression on the first match), to LinearRouter (hono/quick's, what src/app.ts
 * uses) and to PatternRouter. Run each kind in a fresh process, several times:
 *   for k in regexp linear pattern; do npx tsx bench/proposals/router-first-match.ts $k; done
 */
import { RegExpRouter } from "hono/router/reg-exp-router";
import { LinearRouter } from "hono/router/linear-router";
import { PatternRouter } from "hono/router/pattern-router";
import { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";
import type { Router } from "hono/router";
import { app } from "../../src/app";

const kind = process.argv[2] ?? "linear";
const routers: Record<string, () => Router<unknown>> = {
  regexp: () => new SmartRouter({ routers: [new RegExpRouter(), new TrieRouter()] }),
  linear: () => new SmartRouter({ routers: [new LinearRouter(), new TrieRouter()] }),
  pattern: () => new PatternRouter(),
};
const router = routers[kind]?.();
if (!router) throw new Error(`kind: one of ${Object.keys(routers).join(", ")}`);
for (const route of app.routes) router.add(route.method, route.path, route.handler);
const paths = ["/health", "/scopes", "/diff", "/plan", "/explain", "/endpoints", "/changes", "/changes.atom"];
paths.push("/openapi.json", "/", "/app.js", "/mcp", "/integrations/slack/command", "/nothing/here");

let start = performance.now();
router.match("GET", "/health");
const firstMs = performance.now() - start;
for (let round = 0; round < 2_000; round++) for (const path of paths) router.match(round % 2 ? "GET" : "POST", path);
const rounds = 20_000;
start = performance.now();
for (let round = 0; round < rounds; round++) for (const path of paths) router.match(round % 2 ? "GET" : "POST", path);
const warmUs = ((performance.now() - start) / (rounds * paths.length)) * 1000;
console.log(
  `${kind}: ${app.routes.length} routes, first match ${firstMs.toFixed(2)} ms, warm ${warmUs.toFixed(3)} µs a match`,
);
