/**
 * zod's configuration for every schema the worker builds: imported first (src/app.ts), because zod
 * reads it when a schema is constructed. zod installs a memoizer by default so that input holding
 * reference cycles can be parsed; what this app parses never holds one (request bodies, MCP arguments
 * and KV values are JSON text parsed by `JSON.parse`, which builds trees). The memoizer still costs: a deferred step on each container schema at startup, a walk
 * of each schema's subtree on its first parse (about a third of a fresh isolate's first /diff body
 * parse, docs/benchmarks.md, eighteenth pass) and a call per container value parsed. This one does
 * nothing, which is what zod does when none is set (`zod/mini`).
 */
import { z } from "@hono/zod-openapi";

export const WITHOUT_CYCLES: z.core.$ZodMemoizer = {
  attach: () => undefined,
  guard: () => undefined,
  alloc: (_schema, _payload, empty) => empty,
};

z.config({ memoizer: WITHOUT_CYCLES });
