/**
 * GET /: the web page for people, with its script and style sheet at /page.js and /page.css. The
 * three are built once per isolate from string modules (src/page/), so serving them costs nothing.
 * The asset URLs carry a hash of their content: they are cached for a year, the HTML for 5 minutes.
 */
import { Hono, type Context } from "hono";
import { pageHtml } from "../page/html";
import { credentialInLink, credentialInLinkMessage } from "../page/page-state";
import { PAGE_JS } from "../page/page-script";
import { PAGE_CSS } from "../page/style";
import type { AppEnv } from "../env";
import { conditional, fingerprint } from "./respond";

/**
 * The page's fingerprints and HTML, built on the first request for the page (hashing the script took
 * ~7 ms of every isolate's startup, which most isolates, answering only the API, never need).
 */
let built: { jsVersion: string; cssVersion: string; html: string; htmlEtag: string } | undefined;

function pageParts(): NonNullable<typeof built> {
  if (!built) {
    const jsVersion = fingerprint(PAGE_JS);
    const cssVersion = fingerprint(PAGE_CSS);
    const html = pageHtml({ css: `/page.css?v=${cssVersion}`, js: `/page.js?v=${jsVersion}` });
    built = { jsVersion, cssVersion, html, htmlEtag: `"page-${fingerprint(html)}"` };
  }
  return built;
}

/**
 * No inline script or style, no other origin: the page calls only this worker's API. Trusted Types
 * holds the script to building nodes with textContent (API text is never parsed as HTML).
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
].join("; ");

const HTML_CACHE = "public, max-age=300";
const ASSET_CACHE = "public, max-age=31536000, immutable";

function serve(
  c: Context<AppEnv>,
  body: string,
  type: string,
  etag: string,
  cacheControl: string,
  extra: Record<string, string> = {},
): Response {
  const notModified = conditional(c, etag, cacheControl, undefined);
  if (notModified) return notModified;
  return c.body(body, 200, { "Content-Type": type, ...extra });
}

/** An asset asked for by an older (or no) version: still served, but only briefly cached. */
const assetCache = (c: Context<AppEnv>, version: string) => (c.req.query("v") === version ? ASSET_CACHE : HTML_CACHE);

/**
 * A link holding a credential (`/?tool=lookup&path=https://bob:<password>@...`) is refused as the API
 * refuses one (400, the `credential_detected` words), but with the page rather than JSON, since a
 * person followed it: the page, with a notice naming the parameters left out, never their text, and
 * not stored by any cache. Its script leaves those parameters out of the address bar too.
 */
function refusedLink(c: Context<AppEnv>, notice: string): Response {
  const { cssVersion, jsVersion } = pageParts();
  const html = pageHtml({ css: `/page.css?v=${cssVersion}`, js: `/page.js?v=${jsVersion}` }, notice);
  return c.body(html, 400, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": PAGE_CSP,
  });
}

export const page = new Hono<AppEnv>()
  .get("/", (c) => {
    // The credential guard leaves GET / to this route (app.ts): the query is scanned as it scans one.
    const url = c.req.url;
    const mark = url.indexOf("?");
    const secret = mark >= 0 ? credentialInLink(url.slice(mark + 1)) : undefined;
    if (secret) return refusedLink(c, credentialInLinkMessage(secret.kind, secret.dropped));
    const { html, htmlEtag } = pageParts();
    return serve(c, html, "text/html; charset=utf-8", htmlEtag, HTML_CACHE, { "Content-Security-Policy": PAGE_CSP });
  })
  .get("/page.js", (c) => {
    const { jsVersion } = pageParts();
    return serve(c, PAGE_JS, "text/javascript; charset=utf-8", `"js-${jsVersion}"`, assetCache(c, jsVersion));
  })
  .get("/page.css", (c) => {
    const { cssVersion } = pageParts();
    return serve(c, PAGE_CSS, "text/css; charset=utf-8", `"css-${cssVersion}"`, assetCache(c, cssVersion));
  });
