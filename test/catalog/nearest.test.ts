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

/** nearest as the textbook table ranks: every candidate within the maximum, closest first, ties in order. */
function referenceNearest(target: string, candidates: readonly string[], count: number, maxDistance: number): string[] {
  return candidates
    .map((name, order) => ({ name, order, distance: reference(target.toLowerCase(), name.toLowerCase()) }))
    .filter((entry) => entry.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, count)
    .map((entry) => entry.name);
}

/** ASCII words of 0 to 40 characters (past the 32 a bit-parallel pattern holds), some with an é. */
function asciiWords(seed: number, count: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const letters = "ab:c-rwAB";
  return Array.from({ length: count }, (_, index) =>
    Array.from({ length: Math.floor(next() * 41) }, () =>
      index % 17 === 0 && next() < 0.05 ? "é" : letters[Math.floor(next() * letters.length)],
    ).join(""),
  );
}

describe("nearest", () => {
  it("ranks as the textbook table does, for targets of every length up to 40 and every maximum", () => {
    const candidates = asciiWords(3, 300);
    const targets = asciiWords(11, 120);
    // Exactly 32 and 33 characters: the longest pattern one word holds, and the first that falls back.
    targets.push("ab:c-rw".repeat(5).slice(0, 32), "ab:c-rw".repeat(5).slice(0, 33), "");
    for (const [at, target] of targets.entries()) {
      const maxDistance = at % 12;
      expect(nearest(target, candidates, 300, maxDistance), `${target} within ${maxDistance}`).toEqual(
        referenceNearest(target, candidates, 300, maxDistance),
      );
    }
  });

  it("ranks the catalog's kind of names alike in either case, and after a target it could not mask", () => {
    const names = ["read:jira-work", "read:jira-user", "write:jira-work", "read:board-scope:jira-software"];
    expect(nearest("READ:JIRA-WROK", names, 5, 6)).toEqual(referenceNearest("READ:JIRA-WROK", names, 5, 6));
    // A non-ASCII target is ranked row by row; the next target's masks must not hold its characters.
    expect(nearest("réad:jira-work", names, 5, 6)).toEqual(referenceNearest("réad:jira-work", names, 5, 6));
    expect(nearest("read:board-scope:jira", names, 5, 9)).toEqual(["read:board-scope:jira-software"]);
    expect(nearest("read:jira-wrok", names, 5, 6)).toEqual(referenceNearest("read:jira-wrok", names, 5, 6));
  });

  it("ranks by distance, ties in candidate order, within the maximum", () => {
    const names = ["read:jira-user", "read:jira-work", "write:jira-work", "read:me"];
    // read:jira-user is 3 edits away, write:jira-work 6.
    expect(nearest("READ:JIRA-WROK", names, 5, 4)).toEqual(["read:jira-work", "read:jira-user"]);
    expect(nearest("READ:JIRA-WROK", names, 5, 6)).toEqual(["read:jira-work", "read:jira-user", "write:jira-work"]);
    expect(nearest("read:jira-wrok", names, 1, 4)).toEqual(["read:jira-work"]);
    expect(nearest("zzzz", names, 5, 2)).toEqual([]);
  });
});
