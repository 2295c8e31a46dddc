/** The two small products that the scraper's pipeline tests publish, and a loader serving their documents. */
import type { DocumentLoader, LoadDocumentResult } from "../../scraper/run";
import type { ProductSource } from "../../scraper/sources";

export type Json = Record<string, unknown>;

/** Jira from document `jira-test`, Bitbucket from `bb-test`; Jira's canary is GET /rest/api/3/thing0/{id} with read:jira-work. */
export const TEST_SOURCES: ProductSource[] = [
  {
    product: "jira",
    title: "Jira",
    documents: [
      {
        id: "jira-test",
        url: "https://dac-static.atlassian.com/jira.json",
        file: "jira.json",
        docsBase: "https://developer.atlassian.com/jira/",
      },
    ],
    scopePages: [],
    crossCheckPages: [],
    canaries: [{ method: "GET", path: "/rest/api/3/thing0/{id}", includes: ["read:jira-work"], kind: "classic" }],
  },
  {
    product: "bitbucket",
    title: "Bitbucket",
    documents: [
      {
        id: "bb-test",
        url: "https://dac-static.atlassian.com/bb.json",
        file: "bb.json",
        docsBase: "https://developer.atlassian.com/bb/",
      },
    ],
    scopePages: [],
    crossCheckPages: [],
    canaries: [],
  },
];

/** Serves documents by id, recording each call; a value that is a LoadDocumentResult failure is returned as is. */
export function documentLoader(
  documents: Record<string, Json | string | LoadDocumentResult>,
  calls: { id: string; conditional?: unknown }[] = [],
): DocumentLoader {
  return async (source, conditional) => {
    calls.push({ id: source.id, conditional });
    const value = documents[source.id];
    if (value === undefined) return { ok: false, reason: "http_error", message: "HTTP 404 Not Found" };
    if (typeof value === "object" && "ok" in value) return value as LoadDocumentResult;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return { ok: true, status: "loaded", text, bytes: text.length, etag: `"${source.id}-etag"` };
  };
}
