import { describe, expect, it } from "vitest";
import { editDistance, nearest } from "../../src/catalog/nearest";

/** The textbook table, for reference. */
function reference(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      table[i]![j] = Math.min(
        table[i - 1]![j]! + 1,
        table[i]![j - 1]! + 1,
        table[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return table[a.length]![b.length]!;
}

/** A small deterministic generator, so a failure is reproducible. */
function words(seed: number, count: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () =>
    Array.from({ length: Math.floor(next() * 90) }, () => "ab:c-rwé"[Math.floor(next() * 8)]).join(""),
  );
}

describe("editDistance", () => {
  it("agrees with the textbook table on 2,000 random pairs (up to 90 characters, past the reused rows' first size)", () => {
    const list = words(15, 4000);
    for (let at = 0; at < list.length; at += 2) {
      const [a, b] = [list[at]!, list[at + 1]!];
      expect(editDistance(a, b), `${a} / ${b}`).toBe(reference(a, b));
    }
  });

  it("answers the distance within the limit, and more than the limit past it", () => {
    const list = words(7, 2000);
    for (let at = 0; at < list.length; at += 2) {
      const [a, b] = [list[at]!, list[at + 1]!];
      const limit = at % 7;
      const distance = reference(a, b);
      if (distance <= limit) expect(editDistance(a, b, limit)).toBe(distance);
      else expect(editDistance(a, b, limit)).toBeGreaterThan(limit);
    }
  });

  it("gives the known distances of scope-name typos", () => {
    expect(editDistance("read:jira-wrok", "read:jira-work")).toBe(2);
    expect(editDistance("pullrequest:wrtie", "pullrequest:write")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});

describe("nearest", () => {
  it("ranks by distance, ties in candidate order, within the maximum", () => {
    const names = ["read:jira-user", "read:jira-work", "write:jira-work", "read:me"];
    // read:jira-user is 3 edits away, write:jira-work 6.
    expect(nearest("READ:JIRA-WROK", names, 5, 4)).toEqual(["read:jira-work", "read:jira-user"]);
    expect(nearest("READ:JIRA-WROK", names, 5, 6)).toEqual(["read:jira-work", "read:jira-user", "write:jira-work"]);
    expect(nearest("read:jira-wrok", names, 1, 4)).toEqual(["read:jira-work"]);
    expect(nearest("zzzz", names, 5, 2)).toEqual([]);
  });
});
