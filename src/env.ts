/** The Hono environment of every route and middleware: the Worker's bindings and per-request values. */
import type { ServedCatalog } from "./storage/catalog-cache";

export type AppEnv = {
  Bindings: Env;
  Variables: { served: ServedCatalog; requestId: string; loggedPath?: string };
};
