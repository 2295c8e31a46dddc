/**
 * GET / through the worker: a link holding a credential (`/?tool=lookup&path=https://bob:<password>@...`)
 * is answered with the page, not the API's JSON, and never echoes the secret. The browser side (the
 * script leaving the parameter out of the address bar) is in test/e2e/page.e2e.test.ts. Secrets are
 * fake and assembled at run time so that no scanner mistakes this file for a leak.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { exports } from "cloudflare:workers";
import { expectError, get, ORIGIN } from "../helpers/worker";

const ALNUM = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0";
const TOKEN = `ATA${"TT3xFfGF0"}${ALNUM}`;
const PASSWORD = `hunter${"2"}xyz`;
const enc = encodeURIComponent;

let logged: string[] = [];
beforeEach(() => {
  logged = [];
  for (const level of ["log", "info", "warn", "error"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("GET / with a credential in its query: the page, without it", () => {
  const cases: { name: string; given: string; secret: string; kind: string; names: string }[] = [
    {
      // The tester's link: the lookup's path as a URL with a password.
      name: "a password in the lookup's URL",
      given: `/?tool=lookup&path=https://bob:${PASSWORD}@acme.atlassian.net/rest/api/3/myself&method=GET`,
      secret: PASSWORD,
      kind: "a password in a URL (user:password@)",
      names: "<code>path</code>",
    },
    {
      name: "a pasted curl's -u, percent-encoded as the page writes links",
      given: `/?tool=lookup&path=${enc(`curl -u bob@acme.com:${TOKEN} https://acme.atlassian.net/rest/api/3/myself`)}`,
      secret: TOKEN,
      kind: "an Atlassian API token",
      names: "<code>path</code>",
    },
    {
      // The guard decodes up to three times: so does the page's check, with the same code.
      name: "a token encoded twice in the plan's endpoints",
      given: `/?tool=plan&endpoints=${enc(enc(`GET /rest/api/3/myself\nAuthorization: Bearer ${TOKEN}`))}`,
      secret: TOKEN,
      kind: "an Atlassian API token",
      names: "<code>endpoints</code>",
    },
    {
      // A name that is not the page's own is never echoed: it may be the secret itself.
      name: "the secret as a parameter's name",
      given: `/?tool=scope&${TOKEN}=1`,
      secret: TOKEN,
      kind: "an Atlassian API token",
      names: "another parameter",
    },
    {
      name: "two fields holding credentials",
      given: `/?tool=diff&scopes=${TOKEN}&endpoints=${enc(`GET https://bob:${PASSWORD}@acme.atlassian.net/rest/api/3/myself`)}`,
      secret: PASSWORD,
      kind: "an Atlassian API token",
      names: "<code>scopes</code> and <code>endpoints</code>",
    },
  ];

  it.each(cases)("$name", async ({ given, secret, kind, names }) => {
    const response = await get(given);
    const html = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    // Not kept by any cache, and under the page's own policy.
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("etag")).toBeNull();
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<script src="/page.js?v=');
    const notice = html.match(/<p class="status err" id="notice" role="alert">(.*?)<\/p>/)?.[1] ?? "";
    expect(notice).toContain(`This link seems to contain ${kind}, in ${names}.`);
    expect(notice).toContain("Scope Catalog only needs scope names and URLs");
    expect(notice).toContain("revoke it");
    expect(html).not.toContain(secret);
    expect(html).not.toContain(secret.slice(0, 12));
    // One log line, the path only.
    expect(logged.filter((line) => line.includes("GET / 400"))).toHaveLength(1);
    expect(logged.join("\n")).not.toContain(secret.slice(0, 12));
  });

  it("HEAD answers the same status, with no body", async () => {
    const response = await exports.default.fetch(
      new Request(`${ORIGIN}/?tool=lookup&path=https://bob:${PASSWORD}@acme.atlassian.net/`, { method: "HEAD" }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await response.text()).toBe("");
  });

  it("a clean link is the cached page with no notice; a user without a password is no credential", async () => {
    for (const given of ["/", "/?tool=lookup&path=https://bob@acme.atlassian.net/rest/api/3/myself&method=GET"]) {
      const response = await get(given);
      const html = await response.text();
      expect(response.status, given).toBe(200);
      expect(response.headers.get("cache-control"), given).toBe("public, max-age=300");
      expect(response.headers.get("etag"), given).toMatch(/^"page-/);
      expect(html, given).not.toContain('id="notice"');
    }
  });

  it("the other routes, the page's assets and a POST to / still get the API's JSON refusal", async () => {
    await expectError(await get(`/page.js?token=${TOKEN}`), 400, "credential_detected");
    await expectError(
      await get(`/scopes?path=https://bob:${PASSWORD}@acme.atlassian.net/x`),
      400,
      "credential_detected",
    );
    const post = await exports.default.fetch(
      new Request(`${ORIGIN}/?x=${TOKEN}`, { method: "POST", headers: { "content-type": "application/json" } }),
    );
    await expectError(post, 400, "credential_detected");
  });
});
