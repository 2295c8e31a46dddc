/**
 * The request a proposals tool was asked to send: a path (GET, or POST of PROFILE_BODY's JSON when
 * set), `row8:<name>`, row 8's input of that name (bench/rows/worst-inputs.ts), or `row6:<name>`, row
 * 6's route of that name (bench/rows/first-request.ts: diff1, plan1, endpoints, ...), sent as the row
 * sends it: a string body as it is, any other as JSON. `init` is the fetch options that send it (a
 * POST of the body, or a GET). Throws for an unknown name.
 */
import { readFileSync } from "node:fs";
import type { BenchCatalog } from "../lib/catalog";
import { routeCases } from "../rows/first-request";
import { worstInputs } from "../rows/worst-inputs";

export function askedRequest(asked: string, catalog: BenchCatalog): { path: string; init: AskedInit } {
  const [row, name] = asked.split(":", 2);
  const inputs = row === "row8" ? worstInputs(catalog) : row === "row6" ? routeCases(catalog) : undefined;
  if (!inputs) {
    const body = process.env.PROFILE_BODY ? readFileSync(process.env.PROFILE_BODY, "utf8") : undefined;
    return { path: asked, init: initOf(body) };
  }
  const named = inputs.find((input) => input.name === name);
  if (!named) throw new Error(`no ${row} input named ${name}: ${inputs.map((input) => input.name).join(", ")}`);
  const body = named.body === undefined || typeof named.body === "string" ? named.body : JSON.stringify(named.body);
  return { path: named.path, init: initOf(body) };
}

/** Fetch options both Miniflare's dispatchFetch and Hono's app.request take. */
type AskedInit = { method?: "POST"; headers?: Record<string, string>; body?: string };

const initOf = (body: string | undefined): AskedInit =>
  body ? { method: "POST", headers: { "content-type": "application/json" }, body } : {};
