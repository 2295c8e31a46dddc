/**
 * The request a proposals tool was asked to send: a path (GET, or POST of PROFILE_BODY's JSON when
 * set) or `row8:<name>`, row 8's input of that name (bench/rows/worst-inputs.ts) sent as row 8 sends
 * it: a string body as it is, any other as JSON. Throws for an unknown row 8 name.
 */
import { readFileSync } from "node:fs";
import type { BenchCatalog } from "../lib/catalog";
import { worstInputs } from "../rows/worst-inputs";

export function askedRequest(asked: string, catalog: BenchCatalog): { path: string; body: string | undefined } {
  if (!asked.startsWith("row8:"))
    return { path: asked, body: process.env.PROFILE_BODY ? readFileSync(process.env.PROFILE_BODY, "utf8") : undefined };
  const named = worstInputs(catalog).find((input) => input.name === asked.slice("row8:".length));
  if (!named) throw new Error(`no row 8 input named ${asked}`);
  const body = named.body === undefined || typeof named.body === "string" ? named.body : JSON.stringify(named.body);
  return { path: named.path, body };
}
