/**
 * zod's configuration for every schema the worker builds: imported first (src/app.ts), because zod
 * reads it when a schema is constructed. zod installs a memoizer by default so that input holding
 * reference cycles can be parsed. Nothing this app parses holds one: request bodies, MCP arguments
 * and KV values come from `JSON.parse`, which builds no cycles, and what is built from them (the
 * scraper's records, alternatives the shard layout shares between endpoints) adds none. The default
 * costs a deferred step on each container schema at startup and a walk of each schema's subtree on
 * its first parse (about a third of the first parse of a /diff body in a fresh Node process,
 * docs/benchmarks.md, eighteenth pass). This one does nothing (zod still calls `alloc` for each
 * container value, and would put its default back if none were set).
 */
import { z } from "@hono/zod-openapi";

export const WITHOUT_CYCLES: z.core.$ZodMemoizer = {
  attach: () => undefined,
  guard: () => undefined,
  alloc: (_schema, _payload, empty) => empty,
};

z.config({ memoizer: WITHOUT_CYCLES });
