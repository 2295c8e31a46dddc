/**
 * The curated table of endpoints whose documents name the apps that may call them (APP_ONLY,
 * src/catalog/credentials.ts) against the eight saved documents: every sentence of an operation's
 * description that says "only" of apps is either in the table, with exactly the endpoints that say it,
 * or in NOT_CALLERS below with why it does not limit who calls. A new or changed sentence fails here.
 * Skipped when ../shared/atlassian-docs is absent.
 */
import { beforeAll, expect, it } from "vitest";
import { fullPath } from "../../scraper/normalize";
import { parseOpenApiText } from "../../scraper/parse/openapi";
import { APP_ONLY, judgeEndpoint } from "../../src/catalog/credentials";
import { HTTP_METHODS } from "../../src/catalog/schema";
import { describeShared, readShared, SHARED_DIR } from "../helpers/shared-docs";

const DOCUMENTS = [
  "jira-platform.v3.json",
  "jira-platform.v2.json",
  "jira-software.json",
  "jira-service-management.json",
  "jsm-assets.json",
  "confluence.v2.json",
  "confluence.v1.json",
  "bitbucket.json",
];

/**
 * Sentences that say "only" of apps but limit what the operation acts on, or who else may act, not
 * which kind of credential may call it; each with why.
 */
const NOT_CALLERS: Readonly<Record<string, string>> = {
  // What the option endpoints act on; their callers are limited by their permissions line.
  "Note that this operation only works for issue field select list options added by Connect apps, it cannot be used with issue field select list options created in Jira or using operations from the Issue custom field options resource.":
    "which options it acts on",
  "Note that this operation only works for issue field select list options created in Jira or using operations from the Issue custom field options resource, it cannot be used with issue field select list options created by Connect apps.":
    "which options it acts on",
  "Note that this operation only works for issue field select list options created in Jira or using operations from the Issue custom field options resource, it cannot be used with issue field select list options created by Connect or Forge apps.":
    "which options it acts on",
  // The Email API: approval for Connect apps, asApp() for Forge apps (credentials.ts endpointCaveats).
  "For Forge apps, this API only supports access via asApp() requests.": "how a Forge app calls it (a caveat)",
  "For Connect apps, this API is only available to apps approved by Atlassian, according to these guidelines.":
    "approval for Connect apps (a caveat)",
  "For Connect apps, this API is only available to apps approved by": "the same, cut by a line break (confluence.v1)",
  // The 2024 v2 document's words for the Email API; its v3 twin's newer ones (above) hold for both.
  "This API is only available to apps approved by Atlassian, according to these guidelines.":
    "superseded by the v3 twin's words (a caveat for Connect apps)",
  // The custom field value endpoints: the table quotes their "Only the app that owns ..." sentence.
  "Apps can only perform this operation on custom fields and custom field types declared in their own manifests.":
    "which fields an app acts on (its permissions line is in the table)",
  // Bitbucket's permissions-config PUT/DELETE: their x-atlassian-auth-types say api-token, and app
  // passwords were removed on 2026-07-28 (credentials.ts [BB-APP-PASSWORDS]): stale, judged by the auth types.
  "The only authentication method supported for this endpoint is via app passwords.":
    "stale: the operation's auth types name api-token",
  "The only authentication method for this endpoint is via app passwords.":
    "stale: the operation's auth types name api-token",
  // Jira expressions: the `app` context variable, not who calls.
  "Available only for authenticated requests made by Connect Apps (read more here: Authentication for Connect apps).":
    "when the `app` context variable is set",
  "Available only for authenticated requests made by Connect apps (read more here: Authentication for Connect apps).":
    "when the `app` context variable is set",
  // What the call returns or changes: the calling app's own webhooks, rules, spaces.
  "Only webhooks registered by the calling app are removed.": "which webhooks it removes",
  "NOTE: for non-public OAuth apps, webhooks are delivered only if there is a match between the app owner and the user who registered a dynamic webhook.":
    "delivery of the webhooks",
  "Only workflows containing transition rules created by the calling Connect or Forge app are returned.":
    "what it returns (its permissions line is in the table)",
  "Only rules created by the calling Connect or Forge app can be updated.":
    "what it updates (its permissions line is in the table)",
  "Only rules created by the calling Connect app can be deleted.":
    "what it deletes (its permissions line is in the table)",
  "Only spaces that the app has permission to view will be returned.": "what it returns",
};

/** An operation description's sentences, as a reader sees them: links as their text, no bold, no "Permissions required:". */
function sentencesOf(description: string): string[] {
  const plain = description.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replaceAll("**", "");
  return plain
    .split("\n")
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .map((sentence) => sentence.trim().replace(/^(Permissions required:|Note:)\s*/, ""));
}

/** Each sentence that says "only" of an app, with the endpoints (`METHOD path`) whose descriptions hold it. */
function appSentences(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const file of DOCUMENTS) {
    const text = readShared(file);
    const parsed = parseOpenApiText(text);
    if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
    const prefix = parsed.document.pathPrefix;
    const paths = (JSON.parse(text) as { paths: Record<string, Record<string, { description?: string }>> }).paths;
    for (const [pathKey, item] of Object.entries(paths)) {
      for (const method of HTTP_METHODS) {
        const description = item[method.toLowerCase()]?.description;
        if (typeof description !== "string") continue;
        for (const sentence of sentencesOf(description)) {
          if (!/\bonly\b/i.test(sentence) || !/\bapps?\b/i.test(sentence)) continue;
          const endpoints = found.get(sentence) ?? new Set<string>();
          endpoints.add(`${method} ${fullPath(prefix, pathKey)}`);
          found.set(sentence, endpoints);
        }
      }
    }
  }
  return found;
}

describeShared(`APP_ONLY against the saved documents (skipped when ${SHARED_DIR} is absent)`, () => {
  // Read in beforeAll: a skipped describe's body still runs when its tests are collected.
  let found = new Map<string, Set<string>>();
  beforeAll(() => {
    found = appSentences();
  });

  it("every sentence found is in the table or known not to limit the caller, and nothing else is", () => {
    const known = [...APP_ONLY.map((rule) => rule.words), ...Object.keys(NOT_CALLERS)].sort();
    expect([...found.keys()].sort()).toEqual(known);
  });

  it("each sentence of the table names exactly the endpoints whose descriptions say it", () => {
    for (const rule of APP_ONLY)
      expect({ words: rule.words, endpoints: [...rule.endpoints].sort() }).toEqual({
        words: rule.words,
        endpoints: [...(found.get(rule.words) ?? [])].sort(),
      });
  });

  it("no endpoint is in the table twice", () => {
    const keys = APP_ONLY.flatMap((rule) => rule.endpoints);
    expect(new Set(keys).size).toBe(keys.length);
  });

  // The kinds each sentence names, read from its words: a check on the hand classification.
  it("each sentence's kinds are the apps its words name", () => {
    for (const { words, allows } of APP_ONLY) {
      const named = /\bOnly (a )?(Connect|Forge)\b/.test(words)
        ? [
            ...(/\bForge\b/.test(words) ? ["forge"] : []),
            ...(/\bConnect\b/.test(words) ? ["connect"] : []),
            ...(/OAuth 2\.0/.test(words) ? ["oauth2-3lo"] : []),
          ]
        : /by Forge apps/.test(words)
          ? ["forge"]
          : // What an app defines (a module, its own custom field or JQL function): Forge and Connect apps,
            // which declare modules; a 3LO app has no descriptor or manifest (credentials.ts [MODULES]).
            /\bmodule\b|own functions|owns the custom field/.test(words)
            ? ["forge", "connect"]
            : ["oauth2-3lo", "forge", "connect"];
      expect({ words, allows: [...allows].sort() }).toEqual({ words, allows: named.sort() });
    }
  });

  it("a sentence naming no kind of app whose kinds are fewer than every app's says why, and not otherwise", () => {
    for (const { words, allows, reading } of APP_ONLY) {
      const namesNone = !/\b(Connect|Forge|OAuth 2\.0)\b/.test(words);
      expect({ words, reading: reading !== undefined }).toEqual({ words, reading: namesNone && allows.length < 3 });
    }
  });
});

it("a scoped API token is refused every endpoint of the table, and each kind it names is not", () => {
  for (const { words, allows, endpoints } of APP_ONLY)
    for (const key of endpoints) {
      const [method, path] = key.split(" ") as [(typeof HTTP_METHODS)[number], string];
      const endpoint = { product: "jira" as const, method, path, connectScope: "READ" };
      const refused = judgeEndpoint("scoped-api-token", endpoint);
      expect(refused.usable).toBe(false);
      expect(refused.why).toContain(`"${words}"`);
      for (const kind of allows) expect(judgeEndpoint(kind, endpoint).usable).toBe(true);
    }
});
