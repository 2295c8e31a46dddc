/**
 * The changelog on real drift: Jira v3 as saved on 2026-06-10, then the newer copy. The expected
 * changes are computed here straight from the two raw documents, independently of the scraper.
 */
import { beforeAll, expect, it } from "vitest";
import type { ChangeEntry } from "../../src/catalog/schema";
import { NEWER_JIRA_V3, OLDER_JIRA_V3, publishJiraV3Drift } from "../helpers/jira-drift";
import { describeShared, readShared } from "../helpers/shared-docs";

type Json = Record<string, any>;
const HTTP = ["get", "put", "post", "delete", "patch"];

/** method+path -> { alternatives as "state|scopes" strings, deprecated }, read directly from a document. */
function operations(file: string): Map<string, { alternatives: Set<string>; deprecated: boolean }> {
  const json = JSON.parse(readShared(file)) as Json;
  const found = new Map<string, { alternatives: Set<string>; deprecated: boolean }>();
  for (const [path, item] of Object.entries(json.paths as Json)) {
    for (const method of HTTP) {
      const operation = (item as Json)[method] as Json | undefined;
      if (!operation) continue;
      const alternatives = new Set<string>();
      const sets = new Set<string>();
      for (const entry of operation["x-atlassian-oauth2-scopes"] ?? []) {
        const scopes = [...new Set<string>(entry.scopes)].sort().join(" ");
        if (scopes && !sets.has(scopes)) alternatives.add(`${entry.state}|${scopes}`);
        sets.add(scopes);
      }
      for (const requirement of operation.security ?? []) {
        const scopes = [...((requirement as Json).OAuth2 ?? [])].sort().join(" ");
        if (scopes && !sets.has(scopes)) alternatives.add(`Current|${scopes}`);
        sets.add(scopes);
      }
      found.set(`${method.toUpperCase()} ${path}`, { alternatives, deprecated: operation.deprecated === true });
    }
  }
  return found;
}

let entries: ChangeEntry[];

describeShared("changelog between the two saved Jira v3 documents", () => {
  beforeAll(async () => {
    const store = await publishJiraV3Drift();
    const manifest = (await store.readManifest())!;
    const changes = (await store.readChanges(manifest.changesKey!))!;
    expect(changes.previousVersion).toBe(manifest.previous!.version);
    entries = changes.entries;
  });

  it("lists exactly the endpoints added and removed", () => {
    const before = operations(OLDER_JIRA_V3);
    const after = operations(NEWER_JIRA_V3);
    const added = [...after.keys()].filter((key) => !before.has(key)).sort();
    const removed = [...before.keys()].filter((key) => !after.has(key)).sort();
    const of = (type: string) =>
      entries
        .filter((entry) => entry.type === type)
        .map((entry) => ("method" in entry ? `${entry.method} ${entry.path}` : ""))
        .sort();
    expect(of("endpoint_added")).toEqual(added);
    expect(of("endpoint_removed")).toEqual(removed);
    // The drift as it is: one endpoint added, the four workflow transition property endpoints removed.
    expect(added).toEqual(["GET /rest/api/3/field/{fieldId}/context/defaultValues"]);
    expect(removed).toHaveLength(4);
  });

  it("lists exactly the endpoints whose alternatives changed, and the deprecation flips", () => {
    const before = operations(OLDER_JIRA_V3);
    const after = operations(NEWER_JIRA_V3);
    const changedAlternatives: string[] = [];
    const flipped: string[] = [];
    for (const [key, now] of after) {
      const then = before.get(key);
      if (!then) continue;
      if ([...now.alternatives].sort().join(",") !== [...then.alternatives].sort().join(","))
        changedAlternatives.push(key);
      if (now.deprecated !== then.deprecated) flipped.push(key);
    }
    const alternativeTypes = new Set(["scopes_changed", "alternative_added", "alternative_removed", "state_changed"]);
    const reported = new Set(
      entries
        .filter((entry) => alternativeTypes.has(entry.type))
        .map((entry) => ("method" in entry ? `${entry.method} ${entry.path}` : "")),
    );
    expect([...reported].sort()).toEqual(changedAlternatives.sort());
    expect(
      entries
        .filter((entry) => entry.type === "deprecated_changed")
        .map((entry) => ("method" in entry ? `${entry.method} ${entry.path}` : ""))
        .sort(),
    ).toEqual(flipped.sort());
    expect(flipped).toEqual(
      ["POST /rest/api/3/priority", "GET /rest/api/3/priority/search", "PUT /rest/api/3/priority/{id}"].sort(),
    );
  });

  it("lists exactly the scopes no endpoint uses any more, and those newly used", () => {
    const used = (file: string) => {
      const scopes = new Set<string>();
      for (const { alternatives } of operations(file).values())
        for (const alternative of alternatives)
          for (const scope of alternative.split("|")[1]!.split(" ")) scopes.add(scope);
      return scopes;
    };
    const before = used(OLDER_JIRA_V3);
    const after = used(NEWER_JIRA_V3);
    const scopesOf = (type: string) =>
      entries
        .filter((entry) => entry.type === type)
        .map((entry) => ("scope" in entry ? entry.scope : ""))
        .sort();
    expect(scopesOf("scope_retired")).toEqual([...before].filter((scope) => !after.has(scope)).sort());
    expect(scopesOf("scope_introduced")).toEqual([...after].filter((scope) => !before.has(scope)).sort());
    expect(scopesOf("scope_retired")).toEqual([
      "delete:workflow.property:jira",
      "read:workflow.property:jira",
      "write:workflow.property:jira",
    ]);
  });

  it("has nothing else in it", () => {
    expect(entries).toHaveLength(1 + 4 + 3 + 3);
  });
});
