/**
 * Adversarial /plan inputs: hill-climbs a subset of the real catalog's endpoints to maximise the
 * planner's search nodes for one preference, and writes the subset as `METHOD path` lines.
 *
 *   npx tsx bench/plan/hill-climb.ts [prefer] [size or start file] [seed] [iterations] [out] [planner module]
 *
 * The planner module defaults to src/catalog/plan.ts; pass a copy of an older version to climb
 * against it. Nodes, not time, are climbed: they are deterministic.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Endpoint } from "../../src/catalog/schema";
import type { Preference } from "../../src/catalog/plan";
import { scopedEndpoints } from "./catalog-endpoints";

type Planner = (
  endpoints: readonly Pick<Endpoint, "alternatives">[],
  options: { prefer?: Preference; nodeBudget?: number; workBudget?: number },
) => { nodes: number; work?: number; optimal: boolean; scopes: string[] };

const [prefer = "granular", sizeArg = "400", seedArg = "1", iterationsArg = "400", out, plannerPath] =
  process.argv.slice(2);
const { planScopes } = (await import(resolve(plannerPath ?? "src/catalog/plan.ts"))) as { planScopes: Planner };
const CLIMB_BUDGET = Number(process.env.CLIMB_BUDGET ?? 300_000);

let state = Number(seedArg) >>> 0;
const next = () => {
  state = (state * 1664525 + 1013904223) >>> 0;
  return state / 2 ** 32;
};

const catalog = scopedEndpoints();
// Endpoints with one alternative are no decision; the climb moves only among those with a choice,
// plus a share of single-alternative ones (they decide which scopes are already held).
const lines = [...catalog.keys()];
const size = Math.min(Number(sizeArg) || 0, lines.length);
const pool = [...lines];
// A start set: a file of lines (to continue a climb), or `size` endpoints drawn at random.
let current = new Set<string>();
if (existsSync(sizeArg))
  current = new Set(
    readFileSync(sizeArg, "utf8")
      .split("\n")
      .filter((line) => catalog.has(line)),
  );
else while (current.size < size) current.add(pool[Math.floor(next() * pool.length)]!);
// Scored in the order the set is written (sorted): the planner's work depends on the order.
const score = (set: Set<string>) => {
  const plan = planScopes(
    [...set].sort().map((line) => catalog.get(line)!),
    { prefer: prefer as Preference, nodeBudget: CLIMB_BUDGET, workBudget: CLIMB_BUDGET * 100 },
  );
  return process.env.CLIMB_WORK ? (plan.work ?? plan.nodes) : plan.nodes;
};
let best = score(current);
for (let step = 0; step < Number(iterationsArg); step++) {
  const candidate = new Set(current);
  const moves = 1 + Math.floor(next() * 4);
  for (let m = 0; m < moves; m++) {
    const members = [...candidate];
    if (next() < 0.5 && candidate.size > 10) candidate.delete(members[Math.floor(next() * members.length)]!);
    if (next() < 0.6) candidate.add(pool[Math.floor(next() * pool.length)]!);
  }
  const nodes = score(candidate);
  if (nodes >= best) {
    current = candidate;
    if (nodes > best) {
      console.log(`step ${step}: ${nodes} nodes, ${candidate.size} endpoints`);
      if (out) writeFileSync(out, `${[...current].sort().join("\n")}\n`);
    }
    best = nodes;
  }
  if (best > CLIMB_BUDGET * (process.env.CLIMB_WORK ? 100 : 1)) break;
}
console.log(`final: ${best} nodes over ${current.size} endpoints`);
if (out) writeFileSync(out, `${[...current].sort().join("\n")}\n`);
