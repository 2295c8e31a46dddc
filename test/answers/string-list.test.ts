/** A list of strings is checked in one loop (answers/string-list.ts); any other input as zod checks it. */
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import "../../src/zod-config";
import { DiffInputSchema } from "../../src/answers/diff";
import { PlanInputSchema } from "../../src/answers/plan";
import { stringListFastPath } from "../../src/answers/string-list";

/** A string schema that counts how often zod runs it. */
function countedString(min = 0) {
  const element = min > 0 ? z.string().min(min, "empty") : z.string();
  const counter = { runs: 0 };
  const run = element._zod.run;
  element._zod.run = (payload, context) => {
    counter.runs++;
    return run(payload, context);
  };
  return { element, counter };
}

const inputs: unknown[] = [
  [],
  ["a", "b:c", "é"],
  ["a", 1, "b"],
  ["a", "", "b"],
  [null],
  [{ path: "/x" }],
  "not a list",
  { 0: "a", length: 1 },
];

describe("stringListFastPath", () => {
  it("answers every input as the plain zod array does, with and without checks on the list", () => {
    for (const min of [0, 1])
      for (const input of inputs) {
        const plain = z.array(min > 0 ? z.string().min(min, "empty") : z.string()).max(3, "too many");
        const fast = stringListFastPath(
          z.array(min > 0 ? z.string().min(min, "empty") : z.string()).max(3, "too many"),
          min,
        );
        const [want, got] = [plain.safeParse(input), fast.safeParse(input)];
        expect(got.success, JSON.stringify(input)).toBe(want.success);
        expect(got.data, JSON.stringify(input)).toEqual(want.data);
        expect(got.error?.issues, JSON.stringify(input)).toEqual(want.error?.issues);
      }
  });

  it("runs no element schema for a list of strings, and each one for any other list", () => {
    const { element, counter } = countedString(1);
    const list = stringListFastPath(z.array(element), 1);
    expect(list.parse(["a", "b", "c"])).toEqual(["a", "b", "c"]);
    expect(counter.runs).toBe(0);
    // Shorter than the element's minimum: zod checks it, and says which.
    const refused = list.safeParse(["a", "", "c"]);
    expect(counter.runs).toBe(3);
    expect(refused.error?.issues).toMatchObject([{ path: [1], message: "empty" }]);
  });

  it("keeps the list's own checks: over the cap is refused as before", () => {
    const { element, counter } = countedString();
    const list = stringListFastPath(z.array(element).max(2, "at most 2"));
    expect(list.safeParse(["a", "b", "c"]).error?.issues).toMatchObject([{ message: "at most 2" }]);
    expect(counter.runs).toBe(0);
  });

  it("serves /diff's and /plan's bodies: 1,001 endpoint lines are over the limit, an empty one says where", () => {
    const lines = Array.from({ length: 1001 }, (_, index) => `GET /rest/api/3/issue/ABC-${index}`);
    for (const parsed of [
      DiffInputSchema.safeParse({ scopes: ["read:jira-work"], endpoints: lines }),
      PlanInputSchema.safeParse({ endpoints: lines }),
    ])
      expect(parsed.error?.issues).toMatchObject([
        { path: ["endpoints"], message: "at most 1000 endpoints per request" },
      ]);
    expect(
      DiffInputSchema.safeParse({ scopes: ["read:jira-work"], endpoints: ["GET /x", ""] }).error?.issues,
    ).toMatchObject([{ path: ["endpoints", 1], message: "an endpoint is empty: give `METHOD URL`, or just a URL" }]);
    // /plan refuses it as /diff does: its schema documents a line of at least one character.
    expect(PlanInputSchema.safeParse({ endpoints: ["GET /x", ""] }).error?.issues).toMatchObject([
      { path: ["endpoints", 1], message: "an endpoint is empty: give `METHOD URL`, or just a URL" },
    ]);
    const tokens = DiffInputSchema.parse({ scopes: [{ id: "t", scopes: ["read:jira-work", "write:jira-work"] }] });
    expect(tokens.scopes).toEqual([{ id: "t", scopes: ["read:jira-work", "write:jira-work"] }]);
  });
});
