/**
 * Endpoints whose document names the apps that may call them (credentials.ts APP_ONLY), through the
 * worker on the bundled snapshot: /scopes, /plan, /diff and /explain refuse the kinds the words leave
 * out, plan the ones they name, and say who may call when no credential is given. KV is empty here.
 */
import { getScopes, okJson, postDiff, postJson, resetCatalogCache } from "../helpers/worker";
import { beforeAll, describe, expect, it } from "vitest";

// jira-platform.v3.json, POST /rest/api/3/webhook, "Permissions required".
const WEBHOOK_WORDS = '"Only Connect and OAuth 2.0 apps can use this operation."';
const WEBHOOK_NOTE = `The document says: ${WEBHOOK_WORDS} Only OAuth 2.0 (3LO) apps and Connect apps can call it (\`credential\`: oauth2-3lo, connect).`;
const RULE_WORDS = '"Only Connect or Forge apps can use this operation."';
const ISSUE = "GET /rest/api/3/issue/{issueIdOrKey}";

beforeAll(() => {
  resetCatalogCache();
});

describe("GET /scopes", () => {
  it("without a credential: the endpoint's note quotes the document and names the kinds", async () => {
    const body = await okJson(await getScopes({ path: "/rest/api/3/webhook", method: "POST" }));
    expect(body.endpoints[0].notes).toContain(WEBHOOK_NOTE);
    expect(body.endpoints[0].unusable).toBeUndefined();
  });

  it("a scoped API token: unusable, every set too, in the document's words", async () => {
    const body = await okJson(
      await getScopes({ path: "/rest/api/3/webhook", method: "POST", credential: "scoped-api-token" }),
    );
    const [endpoint] = body.endpoints;
    expect(endpoint.unusable).toBe(
      `The document says: ${WEBHOOK_WORDS} Only OAuth 2.0 (3LO) apps and Connect apps can call it, not an API token with scopes (also service accounts).`,
    );
    expect(endpoint.alternatives.every((alternative: { usable: boolean }) => alternative.usable === false)).toBe(true);
    expect(endpoint.notes).not.toContain(WEBHOOK_NOTE);
  });

  it("an OAuth 2.0 (3LO) app, which the words name: its set is usable", async () => {
    const body = await okJson(
      await getScopes({ path: "/rest/api/3/webhook", method: "POST", credential: "oauth2-3lo" }),
    );
    expect(body.endpoints[0].unusable).toBeUndefined();
    expect(body.endpoints[0].alternatives[0]).toMatchObject({ usable: true });
  });

  it("the v2 twin and Forge-only app properties follow their documents too", async () => {
    const v2 = await okJson(await getScopes({ path: "/rest/api/2/webhook", method: "POST", credential: "forge" }));
    expect(v2.endpoints[0].unusable).toContain(WEBHOOK_WORDS);
    const properties = await okJson(await getScopes({ path: "/rest/forge/1/app/properties", method: "GET" }));
    expect(properties.endpoints[0].notes).toContain(
      'The document says: "Only Forge apps can make this request." Only Forge apps can call it (`credential`: forge).',
    );
  });

  it("the Email API's v2 and v3 twins answer alike: the v3 document's newer caveats, no refusal", async () => {
    // Found in review: v2 (its 2024 document's "only available to apps approved by Atlassian") refused a scoped token.
    const [v2, v3] = await Promise.all(
      ["/rest/api/2/user/email", "/rest/api/3/user/email"].map(async (path) =>
        okJson(await getScopes({ path, method: "GET", credential: "scoped-api-token" })),
      ),
    );
    expect(v2.endpoints[0].unusable).toBeUndefined();
    expect(v2.endpoints[0].unusable).toEqual(v3.endpoints[0].unusable);
    expect(v2.endpoints[0].notes.filter((note: string) => note.startsWith("The document"))).toEqual(
      v3.endpoints[0].notes.filter((note: string) => note.startsWith("The document")),
    );
  });
});

describe("POST /plan", () => {
  const endpoints = [
    "POST /rest/api/3/webhook",
    "PUT /rest/api/3/workflow/rule/config",
    ISSUE.replace("{issueIdOrKey}", "A-1"),
  ];

  it("a scoped API token: both endpoints in `unusable` with the documents' words, the rest planned", async () => {
    const body = await okJson(await postJson("/plan", { credential: "scoped-api-token", endpoints }));
    expect(body.endpoints.map((item: { method: string; path: string }) => `${item.method} ${item.path}`)).toEqual([
      ISSUE,
    ]);
    expect(body.unusable).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/rest/api/3/webhook",
        why: expect.stringContaining(WEBHOOK_WORDS),
      }),
      expect.objectContaining({
        method: "PUT",
        path: "/rest/api/3/workflow/rule/config",
        why: expect.stringContaining(RULE_WORDS),
      }),
    ]);
    expect(body.scopes).toEqual(["read:jira-work"]);
  });

  it("text: the tester's repro lists them under `cannot call`, with no plan for them", async () => {
    const response = await postJson(
      "/plan",
      { credential: "scoped-api-token", endpoints: endpoints.slice(0, 2) },
      { query: "?format=text" },
    );
    const text = await response.text();
    expect(text).toContain(`cannot call: POST /rest/api/3/webhook: The document says: ${WEBHOOK_WORDS}`);
    expect(text).toContain(`cannot call: PUT /rest/api/3/workflow/rule/config: The document says: ${RULE_WORDS}`);
    expect(text).not.toContain("manage:jira-webhook");
  });

  it("a kind the words allow still gets its plan, and the note", async () => {
    const forge = await okJson(await postJson("/plan", { credential: "forge", endpoints: endpoints.slice(1) }));
    expect(forge.unusable).toBeUndefined();
    expect(forge.scopes).toContain("manage:jira-configuration");
    const threeLo = await okJson(
      await postJson("/plan", { credential: "oauth2-3lo", endpoints: endpoints.slice(0, 1) }),
    );
    expect(threeLo.unusable).toBeUndefined();
    expect(threeLo.scopes.length).toBeGreaterThan(0);
    expect(threeLo.notes).toContain(`POST /rest/api/3/webhook: ${WEBHOOK_NOTE}`);
  });

  it("without a credential: planned, with a note per sentence naming its endpoints", async () => {
    const response = await postJson("/plan", { endpoints }, { query: "?format=text" });
    const text = await response.text();
    expect(text).toContain(`note: POST /rest/api/3/webhook: ${WEBHOOK_NOTE}`);
    expect(text).toContain(
      `note: PUT /rest/api/3/workflow/rule/config: The document says: ${RULE_WORDS} Only Forge apps and Connect apps can call it (\`credential\`: forge, connect).`,
    );
    expect(text).not.toContain("cannot call");
    // A 3LO app calls the webhook, not the rule; a Forge app the rule, not the webhook; a Connect app both
    // (found in review: the note said no kind could).
    expect(text).toContain(
      "note: No one token of these scopes can call all these endpoints (the notes above say which apps their documents let call them); `connect` can call them all: give `credential` to plan for it.",
    );
  });

  it("without a credential, endpoints no one kind can call: the note says so", async () => {
    const response = await postJson(
      "/plan",
      { endpoints: ["GET /rest/forge/1/app/properties", "POST /rest/api/3/webhook"] },
      { query: "?format=text" },
    );
    expect(await response.text()).toContain("note: No one kind of credential can call all these endpoints");
  });

  it("without a credential, endpoints one kind can all call: no such note", async () => {
    const body = await okJson(await postJson("/plan", { endpoints: [endpoints[0], endpoints[2]] }));
    expect(body.credentials).toEqual(["oauth2-3lo"]);
    expect(body.notes).toEqual([`POST /rest/api/3/webhook: ${WEBHOOK_NOTE}`]);
  });
});

describe("POST /diff", () => {
  it("a scoped API token holding the scopes: CANNOT, not OK", async () => {
    const body = await okJson(
      await postDiff({
        scopes: ["read:jira-work", "manage:jira-webhook"],
        credential: "scoped-api-token",
        endpoints: ["POST /rest/api/3/webhook"],
      }),
    );
    expect(body.results[0]).toMatchObject({ satisfied: false, unusable: expect.stringContaining(WEBHOOK_WORDS) });
  });

  it("without a credential: satisfied, with the note as a hint", async () => {
    const body = await okJson(
      await postDiff({ scopes: ["read:jira-work", "manage:jira-webhook"], endpoints: ["POST /rest/api/3/webhook"] }),
    );
    expect(body.results[0]).toMatchObject({ satisfied: true });
    expect(body.results[0].hints).toContain(WEBHOOK_NOTE);
  });
});

describe("POST /explain", () => {
  const failed = {
    method: "POST",
    url: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/api/3/webhook",
    status: 403,
    body: { errorMessages: ["You do not have permission to perform this operation."], errors: {} },
  };

  it("without a credential: app_only_endpoint first, with the document's words and the kinds it allows", async () => {
    // Found in review: nothing said the call is refused for any other kind whatever its scopes.
    const body = await okJson(await postJson("/explain", { ...failed, status: 401, body: undefined }));
    const codes = body.findings.map((finding: { code: string }) => finding.code);
    expect(codes[0]).toBe("app_only_endpoint");
    expect(body.findings[0].message).toContain(WEBHOOK_WORDS);
    expect(body.findings[0].details).toEqual({ allows: ["oauth2-3lo", "connect"] });
    // 3LO apps hold its OAuth scopes: what they lack still stands beside it.
    expect(codes).toContain("missing_scopes");
    // Only Connect apps may call webhook/failed: its OAuth sets are no one's to add.
    const failedList = await okJson(
      await postJson("/explain", { method: "GET", url: failed.url.replace("webhook", "webhook/failed"), status: 401 }),
    );
    expect(failedList.findings.map((finding: { code: string }) => finding.code)).toEqual(["app_only_endpoint"]);
    // With a credential given, its own reading instead.
    const given = await okJson(
      await postJson("/explain", { ...failed, status: 401, body: undefined, credential: "oauth2-3lo" }),
    );
    expect(given.findings.map((finding: { code: string }) => finding.code)).not.toContain("app_only_endpoint");
  });

  it("a scoped API token's 403 without scopes: credential_cannot_call, not scope_check_passed", async () => {
    const body = await okJson(await postJson("/explain", { ...failed, credential: "scoped-api-token" }));
    const codes = body.findings.map((finding: { code: string }) => finding.code);
    expect(codes).toContain("credential_cannot_call");
    expect(codes).not.toContain("scope_check_passed");
    const cannot = body.findings.find((finding: { code: string }) => finding.code === "credential_cannot_call");
    expect(cannot.message).toContain(WEBHOOK_WORDS);
    // No scope helps: the fix names the kinds the words allow.
    expect(cannot.fix).toBe(
      "Make the call from a kind of app the document names (`credential`: oauth2-3lo, connect): no scope lets `scoped-api-token` call it.",
    );
  });

  it("with its scopes listed too", async () => {
    const body = await okJson(
      await postJson("/explain", {
        ...failed,
        credential: "scoped-api-token",
        scopes: ["read:jira-work", "manage:jira-webhook"],
      }),
    );
    const codes = body.findings.map((finding: { code: string }) => finding.code);
    expect(codes).toContain("credential_cannot_call");
    expect(codes).not.toContain("scope_check_passed");
  });

  it("a 3LO app's 403, which the words allow, is still about permissions", async () => {
    const body = await okJson(await postJson("/explain", { ...failed, credential: "oauth2-3lo" }));
    const codes = body.findings.map((finding: { code: string }) => finding.code);
    expect(codes).not.toContain("credential_cannot_call");
    expect(codes).toContain("scope_check_passed");
  });
});

describe("the host advice follows who may call", () => {
  const codesOf = (body: { findings: { code: string }[] }) => body.findings.map((finding) => finding.code);

  it("a site URL only Forge apps may call, without a credential: no wrong_host, no gateway; requestJira", async () => {
    // Found in review: wrong_host sent its only callers (Forge apps) to the gateway.
    const url = "https://acme.atlassian.net/rest/forge/1/app/properties";
    const scopes = await okJson(await getScopes({ path: url, method: "GET" }));
    expect(scopes.urlNotes.map((note: { code: string }) => note.code)).toEqual(["forge_path"]);
    expect(JSON.stringify(scopes.urlNotes)).not.toContain("api.atlassian.com/ex/");
    const body = await okJson(await postJson("/explain", { method: "GET", url, status: 401 }));
    expect(codesOf(body)).toEqual(["app_only_endpoint", "forge_path"]);
    expect(JSON.stringify(body)).not.toContain("/ex/jira/");
  });

  it("Forge and Connect apps only: the fix names both ways; a 404 is still the item's, not the URL's", async () => {
    const url = "https://acme.atlassian.net/rest/api/3/workflow/rule/config";
    const body = await okJson(await postJson("/explain", { method: "GET", url, status: 401 }));
    expect(codesOf(body)).toEqual(["app_only_endpoint", "forge_path"]);
    expect(body.findings[1].fix).toBe(
      "Call it from a Forge app with the site-relative path /rest/api/3/workflow/rule/config, through the product's request function; from a Connect app, call the site URL as given, with its JWT.",
    );
    const missing = await okJson(await postJson("/explain", { method: "GET", url, status: 404 }));
    expect(codesOf(missing)).toContain("resource_not_visible");
  });

  it("Connect and 3LO apps only: wrong_host speaks of 3LO tokens and accessible-resources, not tenant_info", async () => {
    const body = await okJson(
      await postJson("/explain", { method: "POST", url: "https://acme.atlassian.net/rest/api/3/webhook", status: 401 }),
    );
    const wrongHost = body.findings.find((finding: { code: string }) => finding.code === "wrong_host");
    expect(wrongHost.message).toBe(
      "If this is an OAuth 2.0 (3LO) access token: such tokens are not accepted on acme.atlassian.net; they only work through Atlassian's API gateway.",
    );
    expect(wrongHost.fix).toContain("accessible-resources");
    expect(wrongHost.fix).not.toContain("basic auth");
  });
});

describe("sentences about what an app defines: Forge and Connect apps, not 3LO apps", () => {
  // Found in review: "Only apps that define the `jiraDeploymentInfoProvider` module" allowed 3LO apps, which declare no modules.
  const GATING = "/rest/deployments/0.1/pipelines/p1/environments/e1/deployments/1/gating-status";

  it("a 3LO app cannot call the gating status; the document's words and the reading are both said", async () => {
    const body = await okJson(await getScopes({ path: GATING, method: "GET", credential: "oauth2-3lo" }));
    expect(body.endpoints[0].unusable).toBe(
      'The document says: "Only apps that define the `jiraDeploymentInfoProvider` module can access this resource." Only Forge apps and Connect apps can call it, not an OAuth 2.0 (3LO) app. Only Forge and Connect apps declare modules, in a manifest or a descriptor; an OAuth 2.0 (3LO) app has neither.',
    );
    for (const credential of ["forge", "connect"]) {
      const allowed = await okJson(await getScopes({ path: GATING, method: "GET", credential }));
      expect(allowed.endpoints[0].unusable).toBeUndefined();
    }
  });

  it("custom field values and JQL function precomputations: 3LO refused, Forge allowed", async () => {
    const endpoints: [method: string, path: string][] = [
      ["POST", "/rest/api/3/app/field/value"],
      ["GET", "/rest/api/3/jql/function/computation"],
    ];
    for (const [method, path] of endpoints) {
      const refused = await okJson(await getScopes({ path, method, credential: "oauth2-3lo" }));
      expect(refused.endpoints[0].unusable).toContain("an OAuth 2.0 (3LO) app");
      const forge = await okJson(await getScopes({ path, method, credential: "forge" }));
      expect(forge.endpoints[0].unusable).toBeUndefined();
    }
  });
});
