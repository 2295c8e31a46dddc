/**
 * Lifecycle through the routes, from the bundled snapshot (KV empty): removals read from descriptions
 * (/rest/api/3/workflow/search, Assets' aql/iql searches), v2 twins removed with their v3 twins, and
 * Bitbucket's deprecated `project:write` answered as a real scope that `project:admin` replaces.
 */
import {
  CLOUD_ID,
  expectError,
  get,
  getEndpoints,
  getScopes,
  okJson,
  postJson,
  resetCatalogCache,
  type Json,
} from "../helpers/worker";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

const ASSETS = `https://api.atlassian.com/jsm/assets/workspace/${CLOUD_ID}/v1`;
const codes = (answer: Json): string[] => answer.findings.map((finding: Json) => finding.code);

describe("removals written in descriptions", () => {
  it("GET /rest/api/3/workflow/search: the removal took effect on 2026-06-01, call Search workflows", async () => {
    const body = await okJson(await getScopes({ path: "/rest/api/3/workflow/search", method: "GET" }));
    const [endpoint] = body.endpoints;
    expect(endpoint.removal).toMatchObject({
      effective: "2026-06-01",
      source: "https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569",
      seenGone: false,
      replacement: { method: "GET", path: "/rest/api/3/workflows/search" },
    });
    expect(endpoint.removal.replacement.alternatives.length).toBeGreaterThan(0);
    const text = await (await getScopes({ path: "/rest/api/3/workflow/search", method: "GET", format: "text" })).text();
    expect(text).toContain("took effect on 2026-06-01");
    expect(text).toContain("Call GET /rest/api/3/workflows/search instead, which needs manage:jira-configuration");
    expect(text).not.toContain("prefer its replacement (see the docs link)");
  });

  it("Assets' aql/objects: removed 2024-09-18, call POST /object/aql; /explain of a 401 says so", async () => {
    for (const path of [`${ASSETS}/aql/objects`, `${ASSETS}/iql/objects`]) {
      const [endpoint] = (await okJson(await getScopes({ path, method: "GET" }))).endpoints;
      expect(endpoint.removal).toMatchObject({
        effective: "2024-09-18",
        replacement: { method: "POST", path: "/jsm/assets/workspace/{workspaceId}/v1/object/aql" },
      });
    }
    const answer = await okJson(
      await postJson("/explain", { method: "GET", url: `${ASSETS}/aql/objects?qlQuery=x`, status: 401 }),
    );
    const deprecated = answer.findings.find((finding: Json) => finding.code === "deprecated_endpoint");
    expect(deprecated.message).toContain("removal was announced effective 2024-09-18");
    expect(deprecated.fix).toContain("Move to POST /jsm/assets/workspace/{workspaceId}/v1/object/aql");
    // No basic-auth advice for an endpoint removed two years before the catalog's date.
    const unscoped = answer.findings.find((finding: Json) => finding.code === "no_published_scopes");
    expect(unscoped.fix).not.toContain("basic auth");
    expect(unscoped.fix).toContain("Its removal took effect on 2024-09-18, so no credential will make it answer");
    // A 410 is the removal itself.
    const gone = await okJson(await postJson("/explain", { method: "GET", url: `${ASSETS}/aql/objects`, status: 410 }));
    expect(codes(gone)[0]).toBe("endpoint_removed");
    expect(gone.findings[0].fix).toContain("POST /jsm/assets/workspace/{workspaceId}/v1/object/aql");
  });

  it("a removal ahead of the catalog's date is announced, not said to have taken effect", async () => {
    // Bitbucket's code search: "This API will be deprecated on November 1, 2026" is a deprecation date only.
    const [endpoint] = (await okJson(await getScopes({ path: "/2.0/workspaces/acme/search/code", method: "GET" })))
      .endpoints;
    expect(endpoint.removal).toBeUndefined();
    // Which of the two depends on the request's date (fixed clocks: test/answers/lifecycle-clock.test.ts).
    expect(
      endpoint.notes.filter((note: string) =>
        /^(To be deprecated on|Deprecated since) 2026-11-01: prefer its replacement \(see the docs link\)\.$/.test(
          note,
        ),
      ),
    ).toHaveLength(1);
  });
});

describe("v2 twins", () => {
  it("a v2 twin of a removed v3 endpoint is removed with it, naming the replacement its last document named", async () => {
    const [endpoint] = (
      await okJson(await getScopes({ path: "/rest/api/2/workflow/transitions/5/properties", method: "GET" }))
    ).endpoints;
    expect(endpoint.deprecated).toBe(true);
    expect(endpoint.removal).toMatchObject({
      effective: "2026-06-01",
      replacement: { method: "POST", path: "/rest/api/2/workflows" },
    });
    expect(endpoint.removal.message).toContain("announced for its v3 twin");
    const v3 = await expectError(
      await getScopes({ path: "/rest/api/3/workflow/transitions/5/properties", method: "GET" }),
      410,
      "endpoint_removed",
    );
    expect(v3.message).toContain("Call POST /rest/api/3/workflows instead");
    expect(v3.message).not.toContain("No replacement is recorded");
    // /explain of a failed call to it: removed, announced for 2026-06-01, move to Bulk get workflows.
    const explained = await okJson(
      await postJson("/explain", {
        method: "GET",
        url: `https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/api/3/workflow/transitions/5/properties`,
        status: 404,
      }),
    );
    expect(codes(explained)[0]).toBe("endpoint_removed");
    expect(explained.findings[0].message).toContain("its last document announced the removal for 2026-06-01");
    expect(explained.findings[0].fix).toContain("Move to POST /rest/api/3/workflows");
  });

  it("a v2 twin of a deprecated v3 endpoint is deprecated", async () => {
    const [endpoint] = (await okJson(await getScopes({ path: "/rest/api/2/fieldconfiguration", method: "GET" })))
      .endpoints;
    expect(endpoint.deprecated).toBe(true);
  });
});

describe("a deprecated scope: Bitbucket's project:write", () => {
  it("/endpoints answers it as real and deprecated, replaced by project:admin, with no endpoints", async () => {
    const body = await okJson(await getEndpoints({ scope: "project:write" }));
    expect(body.scope).toMatchObject({
      name: "project:write",
      kind: "classic",
      product: "bitbucket",
      deprecated: true,
      replacedBy: "project:admin",
      endpoints: 0,
    });
    expect(body.total).toBe(0);
    const text = await (await getEndpoints({ scope: "project:write", format: "text" })).text();
    expect(text).toContain(
      "deprecated: project:write is deprecated, made obsolete by project:admin: no endpoint takes it any more; ask for project:admin instead.",
    );
    // Its neighbours still answer as before; a misspelling of it is still unknown.
    expect((await okJson(await getEndpoints({ scope: "project:admin" }))).scope.deprecated).toBeUndefined();
    await expectError(await getEndpoints({ scope: "project:wirte" }), 404, "scope_not_found");
  });

  it("/diff lists it as deprecated, not unknown", async () => {
    const body = await okJson(
      await postJson("/diff", {
        scopes: ["project:write", "repository"],
        endpoints: ["GET /2.0/repositories/acme/app"],
      }),
    );
    expect(body.unknownScopes).toEqual([]);
    expect(body.deprecatedScopes).toEqual([
      expect.objectContaining({ scope: "project:write", replacedBy: "project:admin" }),
    ]);
    const text = await (
      await postJson(
        "/diff",
        { scopes: ["project:write", "repository"], endpoints: ["GET /2.0/repositories/acme/app"] },
        { query: "?format=text" },
      )
    ).text();
    expect(text).toContain("deprecated scope: project:write is deprecated, made obsolete by project:admin");
    expect(text).not.toContain("unknown scope project:write");
  });

  it("/explain gives deprecated_scopes, not unknown_scopes", async () => {
    const answer = await okJson(
      await postJson("/explain", {
        method: "GET",
        url: "https://api.bitbucket.org/2.0/workspaces/acme/projects/PRJ",
        status: 403,
        scopes: ["project:write"],
      }),
    );
    expect(codes(answer)).toContain("deprecated_scopes");
    expect(codes(answer)).not.toContain("unknown_scopes");
    const finding = answer.findings.find((item: Json) => item.code === "deprecated_scopes");
    expect(finding.fix).toContain("Ask for project:admin instead");
  });
});
