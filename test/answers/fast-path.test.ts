/**
 * The hand-written readers of /diff's, /plan's and /explain's bodies and queries (answers/fast-path.ts)
 * against zod: every generated input, valid or not, must come out of the schema with its reader exactly
 * as out of the same schema without it (a clone, which zod builds afresh), the output's keys in the same
 * order, the issues the same.
 */
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import "../../src/zod-config";
import { DiffInputSchema } from "../../src/answers/diff";
import { ExplainInputSchema } from "../../src/answers/explain";
import { withFastPath } from "../../src/answers/fast-path";
import { PlanInputSchema } from "../../src/answers/plan";
import { PlanQuerySchema } from "../../src/routes/plan";
import { FormatOnlyQuerySchema } from "../../src/routes/shared";
// The benchmarks' seeded generator: the same inputs on every run.
import { prng } from "../../bench/lib/stats";

/** Left out of the generated object. */
const ABSENT = Symbol("absent");
/** In the object with the value `undefined` (only code makes one). */
const UNDEFINED = Symbol("undefined");

type Pools = Record<string, readonly unknown[]>;

const lines = (count: number, prefix = "GET /rest/api/3/issue/ABC-") =>
  Array.from({ length: count }, (_, index) => `${prefix}${index}`);

const SCOPES = [
  ABSENT,
  UNDEFINED,
  [],
  ["read:jira-work"],
  ["read:jira-work", "write:jira-work", "é"],
  [""],
  ["read:jira-work", 1],
  ["read:jira-work", null],
  "read:jira-work write:jira-work",
  "",
  5,
  null,
  true,
  {},
  [{ id: "t", label: "CI", scopes: ["read:jira-work"] }],
  [{ scopes: "read:jira-work", extra: 1 }],
  { data: [{ id: "t", scopes: ["read:jira-work"] }] },
  [{ id: 5, scopes: [] }],
];
const STRING = [ABSENT, ABSENT, UNDEFINED, "/rest/api/3/myself", "GET", "", 3, null, ["GET"]];
const CREDENTIAL = [ABSENT, ABSENT, UNDEFINED, "forge", "FORGE", " connect ", "", "3lo", 7, null];

const DIFF: Pools = {
  scopes: SCOPES,
  path: STRING,
  method: STRING,
  credential: CREDENTIAL,
  endpoints: [
    ABSENT,
    ABSENT,
    UNDEFINED,
    [],
    ["GET /rest/api/3/myself"],
    ["GET /x", ""],
    [""],
    lines(1000),
    lines(1001),
    [{ path: "/x" }],
    [{ method: "GET", path: "/x", extra: 1 }],
    [{ url: "/x" }],
    ["GET /x", { path: "" }],
    [1],
    "GET /x",
    null,
    {},
  ],
  limit: [ABSENT, ABSENT, UNDEFINED, 1, 50, 1000, 0, 1001, 1.5, -1, "5", null, Number.NaN],
  cursor: [ABSENT, ABSENT, UNDEFINED, "", "bzoxMDA", "x".repeat(100), "x".repeat(101), 5, null],
  extra: [ABSENT, 1, "x"],
};

const PLAN: Pools = {
  endpoints: [
    ABSENT,
    UNDEFINED,
    [],
    ["GET /rest/api/3/myself"],
    ["GET /x", ""],
    lines(1000),
    lines(1001),
    [{ method: "POST", path: "/rest/api/3/issue" }],
    [{ url: "/x" }],
    [null],
    "GET /x",
    null,
  ],
  text: [ABSENT, ABSENT, UNDEFINED, "GET /x\nPOST /y", "", 5, null],
  har: [ABSENT, ABSENT, { log: { entries: [] } }, null, "x", 5, []],
  log: [ABSENT, ABSENT, { entries: [] }, null],
  prefer: [ABSENT, ABSENT, UNDEFINED, "granular", "Granular", " CLASSIC ", "fewest", "gran", "", 5, null],
  maxScopes: [ABSENT, ABSENT, UNDEFINED, 1, 50, 100, 0, 2.5, "5", null],
  credential: CREDENTIAL,
  extra: [ABSENT, 1],
};

const EXPLAIN: Pools = {
  method: [ABSENT, UNDEFINED, "GET", "get", "", "x".repeat(10), "x".repeat(11), 5, null],
  url: [ABSENT, UNDEFINED, "/rest/api/3/myself", "", "x".repeat(4096), "x".repeat(4097), 5],
  status: [ABSENT, UNDEFINED, 401, "401", " 403 ", "4011", "abc", "", 99, 100, 599, 600, 401.5, null],
  body: [ABSENT, ABSENT, UNDEFINED, "Unauthorized", "x".repeat(65536), "x".repeat(65537), { code: 401 }, [], 5, null],
  scopes: [ABSENT, ABSENT, ...SCOPES.slice(2), [{ scopes: 1 }], { data: [1] }],
  credential: CREDENTIAL,
  extra: [ABSENT, 1],
};

const DIFF_VALID: Pools = {
  scopes: [["read:jira-work"], ["read:jira-work", "write:jira-work", "é"], [], "read:jira-work write:jira-work", ""],
  path: [ABSENT, ABSENT, "/rest/api/3/myself", ""],
  method: [ABSENT, ABSENT, "GET", ""],
  credential: [ABSENT, ABSENT, "forge", "FORGE", ""],
  endpoints: [ABSENT, [], ["GET /rest/api/3/myself"], lines(1000)],
  limit: [ABSENT, ABSENT, 1, 50, 1000],
  cursor: [ABSENT, ABSENT, "", "bzoxMDA", "x".repeat(100)],
  extra: [ABSENT, 1],
};
const PLAN_VALID: Pools = {
  endpoints: [ABSENT, [], ["GET /rest/api/3/myself"], ["GET /x", ""], lines(1000)],
  text: [ABSENT, ABSENT, "GET /x\nPOST /y", ""],
  har: [ABSENT, ABSENT, { log: { entries: [] } }, null, 5],
  log: [ABSENT, ABSENT, { entries: [] }],
  prefer: [ABSENT, ABSENT, "granular", "Granular", " CLASSIC ", "fewest"],
  maxScopes: [ABSENT, ABSENT, 1, 50],
  credential: [ABSENT, ABSENT, "connect", ""],
  extra: [ABSENT, 1],
};
const EXPLAIN_VALID: Pools = {
  method: ["GET", "get", "x".repeat(10)],
  url: ["/rest/api/3/myself", "x".repeat(4096)],
  status: [401, "401", " 403 ", 100, 599],
  body: [ABSENT, ABSENT, "Unauthorized", "x".repeat(65536), ""],
  scopes: [ABSENT, ABSENT, ["read:jira-work"], "read:jira-work write:jira-work", []],
  credential: [ABSENT, ABSENT, "forge", ""],
  extra: [ABSENT, 1],
};

const FORMAT = [ABSENT, ABSENT, "json", "text", "TEXT", " Markdown ", "xml", "", ["text", "json"]];
const FORMAT_QUERY: Pools = { format: FORMAT, other: [ABSENT, "1"] };
const FORMAT_QUERY_VALID: Pools = { format: [ABSENT, "json", "text", "TEXT", " Markdown "], other: [ABSENT, "1"] };
const PLAN_QUERY: Pools = {
  format: FORMAT,
  prefer: [ABSENT, ABSENT, "granular", "Classic", "gran", "", ["fewest", "classic"]],
  maxScopes: [
    ABSENT,
    ABSENT,
    "1",
    "50",
    " 5 ",
    "5.0",
    "0x10",
    "1e1",
    "0",
    "51",
    "2.5",
    "",
    "abc",
    "Infinity",
    ["5", "6"],
  ],
};
const PLAN_QUERY_VALID: Pools = {
  format: [ABSENT, "json", "TEXT"],
  prefer: [ABSENT, "granular", "Classic"],
  maxScopes: [ABSENT, "1", "50", " 5 ", "5.0", "0x10", "1e1"],
};

/**
 * `count` objects of the pools' values, each field's key placed in a random order: a third with every
 * field from `valid` (what the schema takes), a third with one field from `pools` (all of a field's
 * values, most of them refused), a third with every field from `pools`.
 */
function generated(pools: Pools, valid: Pools, count: number, seed: number): Record<string, unknown>[] {
  const random = prng(seed);
  const pick = (values: readonly unknown[]) => values[Math.floor(random() * values.length)];
  const keys = Object.keys(pools);
  const objects: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index++) {
    const mode = index % 3;
    const odd = keys[Math.floor(random() * keys.length)];
    const entries = keys.map((key) => [key, pick(mode === 2 || key === odd ? pools[key]! : valid[key]!)] as const);
    const shuffled = [...entries];
    for (let at = shuffled.length - 1; at > 0; at--) {
      const other = Math.floor(random() * (at + 1));
      [shuffled[at], shuffled[other]] = [shuffled[other]!, shuffled[at]!];
    }
    const object: Record<string, unknown> = {};
    for (const [key, value] of shuffled) {
      if (value === ABSENT) continue;
      object[key] = value === UNDEFINED ? undefined : value;
    }
    objects.push(object);
  }
  return objects;
}

/** Not objects at all, and objects JSON can make that code rarely does. */
const ODD_INPUTS: unknown[] = [
  undefined,
  null,
  "scopes",
  5,
  true,
  [],
  [{ scopes: ["a"] }],
  JSON.parse('{"__proto__": {"scopes": ["read:jira-work"]}, "scopes": ["read:jira-work"]}'),
  JSON.parse('{"scopes": "read:jira-work", "endpoints": ["GET /x"], "__proto__": 1}'),
  Object.create({ scopes: ["read:jira-work"] }),
];

/** zod's answer for one input, as the validator hands it on: success, output (keys in order) and issues. */
async function outcome(schema: z.ZodType, input: unknown) {
  const parsed = await schema.safeParseAsync(structuredClone(input));
  const sync = schema.safeParse(structuredClone(input));
  return {
    success: parsed.success,
    data: parsed.success ? JSON.stringify(parsed.data) : undefined,
    keys: parsed.success && parsed.data && typeof parsed.data === "object" ? Object.keys(parsed.data) : undefined,
    issues: parsed.success ? undefined : parsed.error.issues,
    sync: { success: sync.success, data: JSON.stringify(sync.data), issues: sync.error?.issues },
  };
}

const CASES: { name: string; schema: z.ZodType; inputs: unknown[] }[] = [
  {
    name: "POST /diff body",
    schema: DiffInputSchema,
    inputs: [...generated(DIFF, DIFF_VALID, 3000, 1), ...ODD_INPUTS],
  },
  {
    name: "POST /plan body",
    schema: PlanInputSchema,
    inputs: [...generated(PLAN, PLAN_VALID, 3000, 2), ...ODD_INPUTS],
  },
  {
    name: "POST /explain body",
    schema: ExplainInputSchema,
    inputs: [...generated(EXPLAIN, EXPLAIN_VALID, 3000, 3), ...ODD_INPUTS],
  },
  {
    name: "?format= query",
    schema: FormatOnlyQuerySchema,
    inputs: [...generated(FORMAT_QUERY, FORMAT_QUERY_VALID, 300, 4), null, []],
  },
  {
    name: "POST /plan query",
    schema: PlanQuerySchema,
    inputs: [...generated(PLAN_QUERY, PLAN_QUERY_VALID, 600, 5), null, []],
  },
];

describe("the hand-written readers answer as zod does", () => {
  for (const { name, schema, inputs } of CASES)
    it(`${name}: ${inputs.length} inputs, output and issues identical to the schema without its reader`, async () => {
      const zodOnly = schema.clone();
      expect(zodOnly._zod.parse).not.toBe(schema._zod.parse);
      let accepted = 0;
      for (const input of inputs) {
        const [got, want] = [await outcome(schema, input), await outcome(zodOnly, input)];
        expect(got, JSON.stringify(input)?.slice(0, 300)).toEqual(want);
        if (got.success) accepted++;
      }
      // Both accepted and refused inputs were tried.
      expect(accepted).toBeGreaterThan(inputs.length / 3);
      expect(accepted).toBeLessThan(inputs.length);
    });
});

describe("withFastPath", () => {
  /** A schema whose fields count how often zod runs them. */
  function counted() {
    const runs = { count: 0 };
    const name = z.string();
    const run = name._zod.run;
    name._zod.run = (payload, context) => {
      runs.count++;
      return run(payload, context);
    };
    const schema = z.object({ name, size: z.number().optional() });
    return { schema, runs };
  }

  it("takes what the reader reads without zod, and leaves the rest to zod with its issues", () => {
    const { schema, runs } = counted();
    const read = withFastPath(schema, (input) =>
      input && typeof input === "object" && typeof (input as { name?: unknown }).name === "string"
        ? { name: (input as { name: string }).name }
        : undefined,
    );
    expect(read.parse({ name: "a", ignored: 1 })).toEqual({ name: "a" });
    expect(runs.count).toBe(0);
    expect(read.safeParse({ name: 1 }).error?.issues).toMatchObject([{ path: ["name"], code: "invalid_type" }]);
    expect(runs.count).toBe(1);
  });

  it("reads the common bodies of /diff, /plan and /explain without zod's parsers", () => {
    // A field schema zod would run for each body; the readers take these bodies whole.
    const fields = [
      DiffInputSchema.shape.scopes,
      PlanInputSchema.shape.endpoints,
      ExplainInputSchema.shape.status,
    ] as z.ZodType[];
    const runs = { count: 0 };
    const restore = fields.map((field) => {
      const run = field._zod.run;
      field._zod.run = (payload, context) => {
        runs.count++;
        return run(payload, context);
      };
      return () => {
        field._zod.run = run;
      };
    });
    try {
      expect(DiffInputSchema.parse({ scopes: ["read:jira-work"], endpoints: ["GET /rest/api/3/myself"] })).toEqual({
        scopes: ["read:jira-work"],
        endpoints: ["GET /rest/api/3/myself"],
      });
      expect(PlanInputSchema.parse({ endpoints: ["GET /x"], prefer: "Granular" })).toEqual({
        endpoints: ["GET /x"],
        prefer: "granular",
      });
      expect(ExplainInputSchema.parse({ method: "GET", url: "/x", status: "401" })).toEqual({
        method: "GET",
        url: "/x",
        status: 401,
      });
      expect(runs.count).toBe(0);
      // A token list is zod's to read.
      DiffInputSchema.parse({ scopes: [{ id: "t", scopes: ["read:jira-work"] }] });
      expect(runs.count).toBe(1);
    } finally {
      for (const undo of restore) undo();
    }
  });
});
