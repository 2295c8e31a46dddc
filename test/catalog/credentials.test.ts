/**
 * Which credential can use which alternative (src/catalog/credentials.ts), the inference from held
 * scopes, credential-aware checks (catalog/diff.ts) and the plan's grouping per credential
 * (catalog/plan-groups.ts). Records are built in the shapes the real documents give (NOTES.md).
 */
import { describe, expect, it } from "vitest";
import {
  CREDENTIAL_KINDS,
  type CredentialKind,
  connectDescriptorScopes,
  connectScopeName,
  credentialSuggestions,
  credentialNote,
  endpointCaveats,
  heldMismatch,
  inferCredential,
  judgeAlternative,
  judgeEndpoint,
  usableBy,
} from "../../src/catalog/credentials";
import { checkEndpoint } from "../../src/catalog/diff";
import { groupForCredential } from "../../src/catalog/plan-groups";
import { BOARD, ISSUE, PULLREQUESTS, alt, endpoint } from "./catalog-fixture";
import { readShared, describeShared } from "../helpers/shared-docs";

// bitbucket.json GET /repositories/{workspace}/{repo_slug}/pullrequests: security.oauth2 ["pullrequest"],
// x-atlassian-oauth2-scopes ["read:pullrequest:bitbucket"], x-atlassian-auth-types ["forge-oauth2","api-token"].
const pulls = endpoint("bitbucket", "GET", PULLREQUESTS, [alt(["pullrequest"]), alt(["read:pullrequest:bitbucket"])], {
  authTypes: ["forge-oauth2", "api-token"],
});
// GET /2.0/user: 103 operations carry ["api-token"] only (not for Forge apps).
const user = endpoint("bitbucket", "GET", "/2.0/user", [alt(["account"]), alt(["read:user:bitbucket"])], {
  authTypes: ["api-token"],
});
const deployKey = endpoint(
  "bitbucket",
  "POST",
  "/2.0/repositories/{workspace}/{repo_slug}/deploy-keys",
  [alt(["repository:admin"]), alt(["admin:repository:bitbucket"])],
  { authTypes: ["api-token"] },
);
const issue = endpoint("jira", "GET", ISSUE, [alt(["read:jira-work"]), alt(["read:issue:jira"], "Beta")], {
  connectScope: "READ",
});
const board = endpoint("jira-software", "GET", BOARD, [alt(["read:board-scope:jira-software", "read:project:jira"])], {
  connectScope: "READ",
});
const redact = endpoint("jira", "POST", "/rest/api/3/redact", [alt(["redact:issue:jira"], "Beta")], {
  connectScope: "INACCESSIBLE",
});
const forgeProperties = endpoint("jira", "GET", "/rest/forge/1/app/properties", [alt(["read:app-data:jira"], "Beta")]);

describe("usableBy: who can hold each alternative", () => {
  const table: { name: string; given: [ReturnType<typeof endpoint>, number]; want: CredentialKind[] }[] = [
    {
      name: "Bitbucket's classic set: OAuth consumers, Connect descriptors and every access token",
      given: [pulls, 0],
      want: [
        "connect",
        "bitbucket-oauth-consumer",
        "bitbucket-access-token",
        "bitbucket-repository-access-token",
        "bitbucket-project-access-token",
        "bitbucket-workspace-access-token",
      ],
    },
    {
      name: "Bitbucket's granular set labelled forge-oauth2 and api-token",
      given: [pulls, 1],
      want: ["forge", "scoped-api-token", "bitbucket-api-token"],
    },
    {
      // The issue's case: `account` is for OAuth consumers (and workspace tokens), never an API token.
      name: "`account`: only workspace access tokens among the access tokens can be given it",
      given: [user, 0],
      want: ["connect", "bitbucket-oauth-consumer", "bitbucket-access-token", "bitbucket-workspace-access-token"],
    },
    {
      name: "a granular set labelled api-token only is not for Forge apps",
      given: [user, 1],
      want: ["scoped-api-token", "bitbucket-api-token"],
    },
    {
      name: "deploy keys are inaccessible for access tokens (Bitbucket's document)",
      given: [deployKey, 0],
      want: ["connect", "bitbucket-oauth-consumer"],
    },
    {
      name: "Jira's classic and granular sets: 3LO apps, Forge apps and scoped API tokens alike",
      given: [issue, 0],
      want: ["oauth2-3lo", "forge", "scoped-api-token"],
    },
    {
      name: "Jira Software's granular set, likewise",
      given: [board, 0],
      want: ["oauth2-3lo", "forge", "scoped-api-token"],
    },
    { name: "Only Forge apps may call /rest/forge/1/app/properties", given: [forgeProperties, 0], want: ["forge"] },
  ];
  for (const { name, given, want } of table)
    it(name, () => {
      const [record, at] = given;
      expect(usableBy(record, record.alternatives[at]!)).toEqual(want);
    });

  it("says why not, from the document", () => {
    expect(judgeAlternative("bitbucket-api-token", user, user.alternatives[0]!)).toEqual({
      usable: false,
      why: "`account` is an OAuth-consumer scope (security.oauth2); an API token holds the `*:bitbucket` scopes.",
    });
    expect(judgeEndpoint("forge", user)).toEqual({
      usable: false,
      why: "The document's auth types for this operation are api-token: it is not available to Forge apps.",
    });
    expect(judgeEndpoint("connect", redact).why).toBe(
      "The document's Connect scope for this endpoint is INACCESSIBLE: Connect apps cannot call it.",
    );
    expect(judgeEndpoint("bitbucket-api-token", issue).usable).toBe(false);
    expect(judgeEndpoint("oauth2-3lo", pulls).usable).toBe(false);
    for (const kind of CREDENTIAL_KINDS)
      expect(judgeEndpoint(kind, issue).usable).toBe(kind.startsWith("bitbucket") === false);
  });
});

describe("credentialSuggestions: what a credential that is not a kind most likely means", () => {
  it.each([
    // What people call it.
    { given: "3LO", want: ["oauth2-3lo"] },
    { given: "Service Account", want: ["scoped-api-token"] },
    { given: "oauth", want: ["oauth2-3lo", "bitbucket-oauth-consumer"] },
    { given: "api token", want: ["scoped-api-token", "bitbucket-api-token"] },
    { given: "app-password", want: ["bitbucket-api-token"] },
    // Spelt like a kind.
    { given: "scoped-token", want: ["scoped-api-token"] },
    { given: "connnect", want: ["connect"] },
    { given: "bitbucket-api-tokn", want: ["bitbucket-api-token", "bitbucket-access-token"] },
    // Nothing like any kind: nothing is guessed.
    { given: "pat", want: [] },
    { given: "x".repeat(60), want: [] },
  ])("$given → $want", ({ given, want }) => {
    expect(credentialSuggestions(given)).toEqual(want);
  });

  it.each([
    // Atlassian's own names for them.
    { given: "OAuth 2.0 (3LO)", want: ["oauth2-3lo"] },
    { given: "OAuth consumer", want: ["bitbucket-oauth-consumer"] },
    { given: "API token with scopes", want: ["scoped-api-token"] },
    { given: "Atlassian Connect", want: ["connect"] },
    { given: "access token", want: ["oauth2-3lo", "bitbucket-access-token"] },
    { given: "App-Passwords", want: ["bitbucket-api-token"] },
    // An API token without scopes is none of the kinds: nothing is suggested, a note says why.
    { given: "unscoped API token", want: [] },
  ])("$given → $want", ({ given, want }) => {
    expect(credentialSuggestions(given)).toEqual(want);
  });

  it("notes a Bitbucket app password, however it is written, and an API token without scopes", () => {
    for (const given of ["app-password", "App Passwords", "bitbucket_app_password"])
      expect(credentialNote(given)).toContain("Bitbucket app passwords were removed on 2026-07-28");
    expect(credentialNote("classic API token")).toContain("not by scopes");
    expect(credentialNote("password")).toBeUndefined();
    expect(credentialNote("oauth")).toBeUndefined();
  });
});

describe("inferCredential", () => {
  const infer = (held: string[]) => inferCredential(held);
  it("Bitbucket OAuth-consumer scopes only: an OAuth consumer", () => {
    expect(infer(["pullrequest", "repository:write"]).kind).toBe("bitbucket-oauth-consumer");
  });
  it("`*:bitbucket` scopes only (read:me and offline_access are neutral): an API token", () => {
    expect(infer(["read:repository:bitbucket", "read:me", "offline_access"])).toMatchObject({
      kind: "bitbucket-api-token",
      reason: expect.stringContaining('for a Forge app, give `credential: "forge"`'),
    });
  });
  it("Connect scopes only: a Connect app", () => {
    expect(infer(["READ", "WRITE"]).kind).toBe("connect");
  });
  it("Connect's names count in all upper or all lower case, as Atlassian's scope page allows, never mixed", () => {
    expect(infer(["read", "write", "act_as_user"]).kind).toBe("connect");
    expect(infer(["ACT_AS_USER", "access_email_addresses"]).kind).toBe("connect");
    expect(infer(["Read", "wRITE"])).toEqual({});
    // `Read` is no Connect scope, nor a Jira or Confluence one (those have a colon): unknown, not another kind.
    expect(infer(["ACT_AS_USER", "Read"])).toMatchObject({ kind: "connect" });
    expect(infer(["ACT_AS_USER", "read:jira-work"]).warning).toMatch(/^The scopes mix kinds/);
  });
  it("connectScopeName: a descriptor's spelling to the scope's name", () => {
    expect(["READ", "read", "project_admin", "Read", "read:jira-work", "INACCESSIBLE"].map(connectScopeName)).toEqual([
      "READ",
      "READ",
      "PROJECT_ADMIN",
      undefined,
      undefined,
      undefined,
    ]);
  });
  it("offline_access with Jira or Confluence scopes (or alone): an OAuth 2.0 (3LO) app, the only one that asks for it", () => {
    expect(infer(["read:jira-work", "offline_access"])).toMatchObject({
      kind: "oauth2-3lo",
      reason: expect.stringContaining("`offline_access` is held"),
    });
    expect(infer(["offline_access", "read:me"]).kind).toBe("oauth2-3lo");
    // Beside another family it is neutral, as before: the family decides.
    expect(infer(["read:repository:bitbucket", "offline_access"]).kind).toBe("bitbucket-api-token");
    expect(infer(["READ", "offline_access"]).kind).toBe("connect");
  });
  it("Jira scopes say nothing: 3LO, Forge and scoped tokens hold them alike, so nothing is inferred", () => {
    expect(infer(["read:jira-work", "read:issue:jira"])).toEqual({});
    expect(infer([])).toEqual({});
  });
  it("warns when the scopes mix kinds no credential holds together", () => {
    const mixed = infer(["pullrequest", "read:pullrequest:bitbucket"]);
    expect(mixed.kind).toBeUndefined();
    expect(mixed.warning).toBe(
      "The scopes mix kinds no single credential holds: Bitbucket OAuth-consumer scopes (`pullrequest`) and Bitbucket API-token/Forge scopes (`read:pullrequest:bitbucket`). Check them per credential, or give `credential`.",
    );
    expect(infer(["READ", "read:jira-work"]).warning).toMatch(/^The scopes mix kinds/);
  });
  it("heldMismatch: scopes the credential given cannot hold", () => {
    expect(heldMismatch("bitbucket-api-token", ["pullrequest", "read:user:bitbucket"])).toBe(
      "The credential is a Bitbucket API token: the `*:bitbucket` scopes (`read:repository:bitbucket`); it cannot hold `pullrequest`, so that scope does not count. Is `credential` right?",
    );
    expect(heldMismatch("forge", ["read:jira-work", "read:user:bitbucket"])).toBeUndefined();
    // What counts as held is what is warned about: a Connect app's `read` counts, an API token's does not.
    expect(heldMismatch("connect", ["read", "WRITE"])).toBeUndefined();
    expect(heldMismatch("scoped-api-token", ["read"])).toMatch(/cannot hold `read`/);
  });
});

describe("checkEndpoint with a credential", () => {
  it("an API-token holder is told the API-token scope, never the OAuth-consumer one (issue 12)", () => {
    const held = new Set(["read:repository:bitbucket"]);
    // Without a credential both sets lack one scope and the first (classic) wins.
    expect(checkEndpoint(user, held).missing).toEqual(["account"]);
    const check = checkEndpoint(user, held, "bitbucket-api-token");
    expect(check).toMatchObject({ satisfied: false, missing: ["read:user:bitbucket"] });
    expect(check.alternatives.map((item) => [item.scopes, item.usable])).toEqual([
      [["account"], false],
      [["read:user:bitbucket"], true],
    ]);
  });
  it("a set held but unusable does not satisfy, and a hint says why", () => {
    const check = checkEndpoint(pulls, new Set(["pullrequest"]), "bitbucket-api-token");
    expect(check.satisfied).toBe(false);
    expect(check.satisfiedBy).toBeNull();
    expect(check.missing).toEqual(["read:pullrequest:bitbucket"]);
    expect(check.hints[0]).toBe(
      "The held scopes satisfy `pullrequest`, but `pullrequest` is an OAuth-consumer scope (security.oauth2); an API token holds the `*:bitbucket` scopes.",
    );
  });
  it("a credential that cannot call the endpoint: nothing to add, and why", () => {
    const check = checkEndpoint(user, new Set(["read:user:bitbucket"]), "forge");
    expect(check).toMatchObject({
      satisfied: false,
      missing: [],
      unusable: expect.stringContaining("not available to Forge apps"),
    });
  });
  it("a Connect app: the held Connect scope, with what it implies", () => {
    expect(checkEndpoint(issue, new Set(["WRITE"]), "connect")).toMatchObject({ satisfied: true, missing: [] });
    expect(checkEndpoint(issue, new Set(["NONE"]), "connect")).toMatchObject({ satisfied: false, missing: ["READ"] });
    expect(checkEndpoint(issue, new Set(["write"]), "connect")).toMatchObject({ satisfied: true, missing: [] });
    expect(checkEndpoint(issue, new Set(["Write"]), "connect")).toMatchObject({ satisfied: false, missing: ["READ"] });
  });
});

// jira-platform.v3.json: "Only Connect and OAuth 2.0 apps can use this operation." (POST /webhook, with
// security OAuth2 read:jira-work + manage:jira-webhook) and "Only Connect or Forge apps can use this
// operation." (PUT /workflow/rule/config, manage:jira-configuration).
const webhook = endpoint("jira", "POST", "/rest/api/3/webhook", [alt(["manage:jira-webhook", "read:jira-work"])], {
  connectScope: "READ",
});
const ruleConfig = endpoint("jira", "PUT", "/rest/api/3/workflow/rule/config", [alt(["manage:jira-configuration"])], {
  connectScope: "ADMIN",
});
const WEBHOOK_WORDS = '"Only Connect and OAuth 2.0 apps can use this operation."';

describe("endpoints whose document names the apps that may call them (APP_ONLY)", () => {
  const table: { name: string; given: ReturnType<typeof endpoint>; want: CredentialKind[] }[] = [
    // "OAuth 2.0 apps" are 3LO apps: not Forge apps, and an API token with scopes is no app at all.
    { name: "Connect and OAuth 2.0 apps: 3LO and Connect", given: webhook, want: ["oauth2-3lo", "connect"] },
    { name: "Connect or Forge apps: no 3LO app, no API token", given: ruleConfig, want: ["forge", "connect"] },
    // The same path's other method says nothing, so every kind that holds Jira scopes may call it.
    {
      name: "a method the document does not restrict",
      given: endpoint("jira", "GET", "/rest/api/3/workflow/rule/config/x", [alt(["manage:jira-configuration"])], {
        connectScope: "READ",
      }),
      want: ["oauth2-3lo", "forge", "scoped-api-token", "connect"],
    },
  ];
  it.each(table)("$name", ({ given, want }) => {
    expect(CREDENTIAL_KINDS.filter((kind) => judgeEndpoint(kind, given).usable)).toEqual(want);
  });

  it("the refusal quotes the document and names who may call", () => {
    expect(judgeEndpoint("scoped-api-token", webhook)).toEqual({
      usable: false,
      why: `The document says: ${WEBHOOK_WORDS} Only OAuth 2.0 (3LO) apps and Connect apps can call it, not an API token with scopes (also service accounts).`,
    });
    expect(judgeEndpoint("oauth2-3lo", ruleConfig).why).toBe(
      'The document says: "Only Connect or Forge apps can use this operation." Only Forge apps and Connect apps can call it, not an OAuth 2.0 (3LO) app.',
    );
  });

  it("every alternative is unusable to a refused kind, and /diff's check says so with nothing to add", () => {
    // Its OAuth set: a 3LO app's alone (a Connect app calls by its Connect scope; Forge and API tokens are refused).
    expect(usableBy(webhook, webhook.alternatives[0]!)).toEqual(["oauth2-3lo"]);
    const check = checkEndpoint(webhook, new Set(["manage:jira-webhook", "read:jira-work"]), "scoped-api-token");
    expect(check).toMatchObject({ satisfied: false, missing: [], unusable: expect.stringContaining(WEBHOOK_WORDS) });
    // A kind the words allow is checked as before.
    expect(checkEndpoint(webhook, new Set(["manage:jira-webhook", "read:jira-work"]), "oauth2-3lo").satisfied).toBe(
      true,
    );
  });

  it("without a credential, or with one the words allow, a note says who may call", () => {
    const note = `The document says: ${WEBHOOK_WORDS} Only OAuth 2.0 (3LO) apps and Connect apps can call it (\`credential\`: oauth2-3lo, connect).`;
    expect(endpointCaveats(undefined, webhook)).toEqual([note]);
    expect(endpointCaveats("oauth2-3lo", webhook)).toEqual([note]);
    // A refused kind is told by the refusal (`unusable`), not twice.
    expect(endpointCaveats("scoped-api-token", webhook)).toEqual([]);
    expect(checkEndpoint(webhook, new Set(["read:jira-work"])).hints).toContain(note);
  });

  it("a plan for a refused kind sets the endpoint apart, with why; an allowed kind plans it", () => {
    const refused = groupForCredential([webhook, issue], "scoped-api-token", "fewest");
    expect(refused.groups.map((group) => group.members)).toEqual([[1]]);
    expect(refused.unusable).toEqual([{ index: 0, why: expect.stringContaining(WEBHOOK_WORDS) }]);
    const allowed = groupForCredential([webhook, issue], "oauth2-3lo", "fewest");
    expect(allowed.unusable).toEqual([]);
    expect(allowed.groups.flatMap((group) => group.members).sort()).toEqual([0, 1]);
  });
});

describe("groupForCredential: one token per credential", () => {
  const all = [issue, board, pulls, user];
  it("without a credential: Jira apart from Bitbucket, and Bitbucket on one side only", () => {
    const { groups, unusable } = groupForCredential(all, undefined, "fewest");
    expect(unusable).toEqual([]);
    expect(groups.map((group) => [group.label, group.members])).toEqual([
      ["atlassian", [0, 1]],
      ["bitbucket-classic", [2, 3]],
    ]);
    // Each Bitbucket endpoint may choose only the classic set there.
    expect(groups[1]!.allowed).toEqual([[0], [0]]);
  });
  it("prefer granular puts Bitbucket on the API-token side at equal size", () => {
    const { groups } = groupForCredential(all, undefined, "granular");
    expect(groups[1]).toMatchObject({ label: "bitbucket-granular", members: [2, 3], allowed: [[1], [1]] });
  });
  it("the side that serves more endpoints wins over the preference; one only the other side serves gets its own group", () => {
    // 12 Bitbucket operations publish OAuth-consumer scopes only; 7 API-token scopes only.
    const classicOnly = endpoint("bitbucket", "GET", "/2.0/hook_events", [alt(["webhook"])]);
    const granularOnly = endpoint("bitbucket", "GET", "/2.0/workspaces/{workspace}/pipelines-config/identity/oidc", [
      alt(["read:pipeline:bitbucket"]),
    ]);
    expect(
      groupForCredential([pulls, classicOnly], undefined, "granular").groups.map((group) => [
        group.label,
        group.members,
      ]),
    ).toEqual([["bitbucket-classic", [0, 1]]]);
    expect(
      groupForCredential([granularOnly, classicOnly], undefined, "fewest").groups.map((group) => [
        group.label,
        group.members,
      ]),
    ).toEqual([
      ["bitbucket-classic", [1]],
      ["bitbucket-granular", [0]],
    ]);
  });
  it("with a credential: only its sets, and what it cannot call set apart with why", () => {
    const { groups, unusable } = groupForCredential(all, "bitbucket-api-token", "fewest");
    expect(groups).toEqual([{ label: "all", members: [2, 3], allowed: [[1], [1]] }]);
    expect(unusable.map((item) => item.index)).toEqual([0, 1]);
    expect(unusable[0]!.why).toMatch(/^a Bitbucket API token calls only Bitbucket Cloud/);
  });
  it("a Connect app: outside Bitbucket each endpoint goes by its Connect scope, one group per product", () => {
    const page = endpoint("confluence", "GET", "/wiki/api/v2/pages/{id}", [alt(["read:page:confluence"])], {
      connectScope: "READ",
    });
    const { groups, unusable } = groupForCredential([issue, page, pulls, redact, forgeProperties], "connect", "fewest");
    expect(groups).toEqual([
      { label: "jira", members: [0], allowed: [[]], connect: true },
      { label: "confluence", members: [1], allowed: [[]], connect: true },
      // Bitbucket's Connect descriptors declare its classic scopes: an alternative, as before.
      { label: "bitbucket", members: [2], allowed: [[0]] },
    ]);
    expect(unusable).toEqual([
      { index: 3, why: "The document's Connect scope for this endpoint is INACCESSIBLE: Connect apps cannot call it." },
      {
        index: 4,
        why: 'The document says: "Only Forge apps can make this request." Only Forge apps can call it, not a Connect app.',
      },
    ]);
  });
  it("a scoped API token is one token per app", () => {
    const page = endpoint("confluence", "GET", "/wiki/api/v2/pages/{id}", [alt(["read:page:confluence"])]);
    const { groups } = groupForCredential([issue, page, pulls], "scoped-api-token", "fewest");
    expect(groups.map((group) => [group.label, group.members])).toEqual([
      ["jira", [0]],
      ["confluence", [1]],
      ["bitbucket", [2]],
    ]);
  });
});

describe("connectDescriptorScopes: the least a Connect descriptor declares", () => {
  it("each scope once, none another one implies, never NONE", () => {
    expect(connectDescriptorScopes(["READ", "write", "READ", "NONE", "ACT_AS_USER"])).toEqual({
      scopes: ["ACT_AS_USER", "WRITE"],
      dropped: [{ scope: "READ", grantedBy: "WRITE" }],
    });
    expect(connectDescriptorScopes(["ADMIN", "DELETE", "SPACE_ADMIN"]).scopes).toEqual(["ADMIN"]);
    expect(connectDescriptorScopes(["NONE"])).toEqual({ scopes: [], dropped: [] });
    // PROJECT_ADMIN and SPACE_ADMIN imply neither each other nor ADMIN.
    expect(connectDescriptorScopes(["PROJECT_ADMIN", "SPACE_ADMIN"]).scopes).toEqual(["PROJECT_ADMIN", "SPACE_ADMIN"]);
  });
});

describeShared("the access-token scope lists against Bitbucket's document", () => {
  it("each kind's list is the document's (narrative, Authentication methods)", () => {
    const narrative = JSON.parse(readShared("bitbucket.json"))["x-atlassian-narrative"].documents.find(
      (document: { anchor: string }) => document.anchor === "authentication",
    ).body as string;
    const listed = (heading: string) => {
      const from = narrative.indexOf(`#### ${heading}`);
      const section = narrative.slice(from, narrative.indexOf("####", from + 5));
      return [...section.matchAll(/- \[`([^`]+)`\]/g)].map((match) => match[1]!).sort();
    };
    const holds = (kind: CredentialKind) =>
      [
        "project",
        "project:admin",
        "repository",
        "repository:write",
        "repository:admin",
        "repository:delete",
        "pullrequest",
        "pullrequest:write",
        "webhook",
        "account",
        "pipeline",
        "pipeline:write",
        "pipeline:variable",
        "runner",
        "runner:write",
        "issue",
        "snippet",
        "email",
      ]
        .filter(
          (scope) =>
            judgeAlternative(kind, endpoint("bitbucket", "GET", "/2.0/x", [alt([scope])]), alt([scope])).usable,
        )
        .sort();
    expect(listed("Repository access tokens")).toHaveLength(12);
    expect(listed("Workspace access tokens")).toHaveLength(15);
    // Implied scopes are grantable too (project grants repository), so compare the lists the document gives.
    expect(listed("Repository access tokens")).toEqual(holds("bitbucket-repository-access-token"));
    expect(listed("Project access tokens")).toEqual(holds("bitbucket-project-access-token"));
    expect(listed("Workspace access tokens")).toEqual(holds("bitbucket-workspace-access-token"));
  });
});
