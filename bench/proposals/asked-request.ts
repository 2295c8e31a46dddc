/**
 * The request a proposals tool was asked to send: a path (GET, or POST of PROFILE_BODY's JSON when
 * set), `row8:<name>`, row 8's input of that name (bench/rows/worst-inputs.ts), or `row6:<name>`, row
 * 6's route of that name (bench/rows/first-request.ts: diff1, plan1, endpoints, ...), sent as the row
 * sends it: a string body as it is, any other as JSON. Throws for an unknown name.
 */
import { readFileSync } from "node:fs";
import type { BenchCatalog } from "../lib/catalog";
import { routeCases } from "../rows/first-request";
import { worstInputs } from "../rows/worst-inputs";

export function askedRequest(asked: string, catalog: BenchCatalog): { path: string; body: string | undefined } {
  const [row, name] = asked.split(":", 2);
  const inputs = row === "row8" ? worstInputs(catalog) : row === "row6" ? routeCases(catalog) : undefined;
  if (!inputs)
    return { path: asked, body: process.env.PROFILE_BODY ? readFileSync(process.env.PROFILE_BODY, "utf8") : undefined };
  const named = inputs.find((input) => input.name === name);
  if (!named) throw new Error(`no ${row} input named ${name}: ${inputs.map((input) => input.name).join(", ")}`);
  const body = named.body === undefined || typeof named.body === "string" ? named.body : JSON.stringify(named.body);
  return { path: named.path, body };
}
