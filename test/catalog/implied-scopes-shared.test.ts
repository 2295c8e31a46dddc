/**
 * The hard-coded Bitbucket implication table (src/catalog/implied-scopes.ts) against the narrative it
 * was copied from: bitbucket.json's `x-atlassian-narrative`, section "Bitbucket OAuth 2.0 scopes".
 * Skipped when ../shared/atlassian-docs is absent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BITBUCKET_CLASSIC_SCOPES, BITBUCKET_IMPLIES } from "../../src/catalog/implied-scopes";
import { HAS_SHARED, SHARED_DIR, readShared } from "../helpers/shared-docs";

interface NarrativeDocument {
  anchor: string;
  title: string;
  body: string;
}

/** The text between `start` and the next heading of the same or a higher level. */
function section(body: string, heading: string): string {
  const start = body.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" in the narrative`);
  const level = /^#+/.exec(heading)![0];
  const rest = body.slice(start + heading.length);
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return end < 0 ? rest : rest.slice(0, end);
}

describe.skipIf(!HAS_SHARED)(
  `Bitbucket implication table against bitbucket.json's narrative (skipped when ${SHARED_DIR} is absent)`,
  () => {
    let oauth: string;
    let forge: string;

    beforeAll(() => {
      const documents = (
        JSON.parse(readShared("bitbucket.json")) as { "x-atlassian-narrative": { documents: NarrativeDocument[] } }
      )["x-atlassian-narrative"].documents;
      const body = documents
        .map((document) => document.body)
        .find((text) => text.includes("### Bitbucket OAuth 2.0 scopes"));
      if (!body) throw new Error('no narrative document has a "Bitbucket OAuth 2.0 scopes" section');
      oauth = section(body, "### Bitbucket OAuth 2.0 scopes");
      forge = section(body, "### Forge app and API token scopes");
    });

    it("lists exactly the classic scopes the table knows", () => {
      const list = oauth.slice(oauth.indexOf("The available scopes are:"), oauth.indexOf("\n####"));
      const listed = [...list.matchAll(/^- \[([a-z:]+)\]\(#/gm)].map((match) => match[1]);
      expect(listed.length).toBeGreaterThan(20);
      expect(new Set(listed)).toEqual(BITBUCKET_CLASSIC_SCOPES);
    });

    it("every implication the narrative states is in the table, and nothing else", () => {
      const stated: Record<string, string[]> = {};
      for (const part of oauth.split(/\n(?=#### )/).slice(1)) {
        const scope = /^#### (\S+)/.exec(part)![1]!;
        // Sentences that grant: "implies the [`x`]", "implicitly grants the [`x`]"; not "doesn't implicitly grant".
        for (const sentence of part.split(/(?<=\.)\s+|\n/)) {
          if (
            !/\b(implies|implicitly grants)\b/i.test(sentence) ||
            /\b(doesn't|does not) (implicitly grant|imply)/i.test(sentence)
          )
            continue;
          for (const match of sentence.matchAll(/\[`([a-z:]+)`\]\(#/g)) (stated[scope] ??= []).push(match[1]!);
        }
      }
      const table = Object.fromEntries(
        Object.entries(BITBUCKET_IMPLIES).map(([scope, implied]) => [scope, [...implied].sort()]),
      );
      for (const implied of Object.values(stated)) implied.sort();
      expect(stated).toEqual(table);
    });

    it("the scopes the narrative says grant nothing are absent from the table", () => {
      for (const scope of ["project:admin", "repository:admin", "issue", "wiki"]) {
        const part = oauth.split(/\n(?=#### )/).find((text) => text.startsWith(`#### ${scope}\n`));
        expect(part, scope).toMatch(/(doesn't|does not) implicitly grant/);
        expect(BITBUCKET_IMPLIES[scope], scope).toBeUndefined();
      }
    });

    it("API token and Forge scopes imply nothing, as the narrative says", () => {
      expect(forge).toContain(
        "Unlike OAuth 2.0 scopes, Forge app and API token scopes do not implicitly grant access to other scopes",
      );
      for (const scope of Object.keys(BITBUCKET_IMPLIES)) expect(scope.split(":").length).toBeLessThan(3);
    });
  },
);
