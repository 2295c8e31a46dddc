/** Loaders that fetch the live documents and pages, for the scheduled worker and `npm run scrape -- --live`. */
import { fetchDocument, type FetchLike } from "./fetch";
import { liveRegistryLoader, REGISTRY_PACKAGE } from "./registry";
import type { DocumentLoader, PageLoader, RunScrapeOptions } from "./run";

export function liveLoaders(fetchImpl?: FetchLike): {
  loadDocument: DocumentLoader;
  loadPage: PageLoader;
  registry: NonNullable<RunScrapeOptions["registry"]>;
} {
  return {
    // The pinned @forge/manifest tarball from the npm registry, fetched only when the manifest names another version.
    registry: { ...REGISTRY_PACKAGE, load: liveRegistryLoader(fetchImpl) },
    loadDocument: async (source, conditional) => {
      const accept = source.format === "reference-page" ? "text/html" : undefined;
      const result = await fetchDocument(source.url, { fetch: fetchImpl, accept, ...conditional });
      if (!result.ok) return { ok: false, reason: result.reason, message: result.message };
      if (result.status === "not_modified") return { ok: true, status: "not_modified" };
      return {
        ok: true,
        status: "loaded",
        text: result.text,
        bytes: result.bytes,
        etag: result.etag,
        lastModified: result.lastModified,
      };
    },
    loadPage: async (url) => {
      const result = await fetchDocument(url, { fetch: fetchImpl, accept: "text/html", maxBytes: 4 * 1024 * 1024 });
      if (!result.ok) return { ok: false, message: result.message };
      return result.status === "fetched"
        ? { ok: true, text: result.text }
        : { ok: false, message: "answered 304 without a cached copy" };
    },
  };
}
