/** A method as users type it (`get`, ` Post `, or nothing), read once for every surface. No I/O. */
import { isHttpMethod } from "./catalog-index";
import { HTTP_METHODS, type HttpMethod } from "./schema";

export type MethodResult =
  | { ok: true; method: HttpMethod | undefined }
  | { ok: false; code: "invalid_method"; message: string };

/** Upper-cased and checked; blank or absent means "every method". */
export function parseMethod(input: string | undefined | null): MethodResult {
  const text = input?.trim() ?? "";
  if (text === "") return { ok: true, method: undefined };
  const upper = text.toUpperCase();
  if (isHttpMethod(upper)) return { ok: true, method: upper };
  return {
    ok: false,
    code: "invalid_method",
    message: `\`method\` ${JSON.stringify(text.slice(0, 40))} is not an HTTP method; use one of ${HTTP_METHODS.join(", ")}, or leave it out for all methods.`,
  };
}
