/**
 * Least-privilege planning: for each endpoint choose exactly one alternative so that the union of
 * scopes is smallest; among equally small plans, the fewest endpoints on an alternative not of the
 * preferred kind (`granular` / `classic`; `fewest` has no preference); remaining ties go to the
 * earliest alternative in catalog order (classic first, Current before Beta). The objective is
 * lexicographic: no preference is worth a scope.
 *
 * Exact branch and bound in two passes per independent group of endpoints: the first finds and
 * proves the smallest size with preferences ignored (the easy problem); the second, only when a
 * preference is given, searches the plans of exactly that size for the fewest non-preferred choices.
 * Both spend one work budget; past it, the best plan found is returned with a proven lower bound.
 * No I/O.
 */
import type { Alternative, Endpoint } from "./schema";

/** A plan's tie-breaks between equally small plans. */
export const PREFERENCES = ["fewest", "granular", "classic"] as const;
export type Preference = (typeof PREFERENCES)[number];

export function isPreference(value: string): value is Preference {
  return (PREFERENCES as readonly string[]).includes(value);
}

export interface PlanOptions {
  prefer?: Preference;
  /** Work units (see DEFAULT_WORK_BUDGET) before giving up on proving optimality. */
  workBudget?: number;
}

export interface PlanResult {
  /** The scope set, sorted. */
  scopes: string[];
  /** For each endpoint given (same order), the index of the chosen alternative, or -1 when it has none. */
  choices: number[];
  /** True when the search proved that no plan is better (fewer scopes, then fewer non-preferred choices). */
  optimal: boolean;
  /** No plan has fewer scopes than this; equals scopes.length when the size is proven smallest. */
  lowerBound: number;
  /** Search nodes visited. */
  nodes: number;
  /** Work units spent, never more than the budget. */
  work: number;
}

/**
 * One work unit is one scope of one alternative looked at while evaluating a search node (plus one
 * per open decision), charged before the node runs, so `work` never exceeds the budget. Measured
 * with bench/plan/measure.ts on the hill-climbed sets in bench/plan/ (Node 20, the project's
 * shared 2-core machine, least CPU time of repeated runs): searches dominated by the preference
 * pass ran 18,600-19,800 units per ms, preparation included (23,000-40,000 since forced decisions
 * are taken together). 600,000 units is therefore at most ~30 ms of warm CPU, which leaves the rest of
 * a 50 ms /plan request for parsing, resolving and token splitting; the hill-climbed worst set takes
 * under a fifth of it.
 */
export const DEFAULT_WORK_BUDGET = 600_000;

// Read once: in a fresh isolate's interpreter each `Number.POSITIVE_INFINITY` read boxes a new number
// (a double field of `Number`). In the search's inner loops that was 0.56 MB of the hill-climbed set's
// first /plan in workerd (1.7 of the planner's 3.7 MB in Node); a module constant is read without one.
const UNBOUNDED = Number.POSITIVE_INFINITY;

/**
 * A Score's size and penalty before any plan: an integer V8 stores untagged, as it does every other
 * Score's (Infinity there made V8 widen the fields to doubles, which deoptimised the search's code).
 */
const NO_PLAN = 0x3fffffff;

/** Every Score is made here, so that all have one shape. */
const score = (size: number, penalty: number): Score => ({ size, penalty });

interface Choice {
  /** Index in the endpoint's alternatives. */
  index: number;
  scopes: number[];
  /** Endpoints that would not get the preferred kind: the decision's member count, or 0. */
  penalty: number;
}

interface Decision {
  choices: Choice[];
  members: number[];
  /** Work units one visit to this decision costs. */
  cost: number;
  /**
   * A preferred choice of it could be completed by other decisions' choices (each of its scopes is
   * another decision's too): given a non-preferred choice, it may undercut them (dropDominated).
   */
  undercut: boolean;
}

interface Score {
  size: number;
  penalty: number;
}

export function planScopes(
  endpoints: readonly Pick<Endpoint, "alternatives">[],
  options: PlanOptions = {},
): PlanResult {
  const prefer = options.prefer ?? "fewest";
  const budget = options.workBudget ?? DEFAULT_WORK_BUDGET;

  const ids = new Map<string, number>();
  const names: string[] = [];
  const idOf = (scope: string) => {
    let id = ids.get(scope);
    if (id === undefined) {
      id = names.length;
      ids.set(scope, id);
      names.push(scope);
    }
    return id;
  };
  const nonPreferred = (alternative: Alternative) => prefer !== "fewest" && alternative.kind !== prefer;

  // Each distinct alternative object is read once: its scope ids, and a number standing for its kind
  // and scopes. Served endpoints share their shard's alternative objects (src/storage/shard-layout.ts),
  // so 1,000 endpoints name a few hundred; a text key per endpoint built from every alternative's
  // scopes was half of the planner's time in a fresh isolate's /plan of 1,000 endpoints (a profile).
  const read = new Map<Alternative, { id: number; scopes: number[] }>();
  const contentIds = new Map<string, number>();
  const readAlternative = (alternative: Alternative) => {
    let known = read.get(alternative);
    if (!known) {
      const content = `${alternative.kind}|${alternative.scopes.join(" ")}`;
      let id = contentIds.get(content);
      if (id === undefined) contentIds.set(content, (id = contentIds.size));
      known = { id, scopes: [...new Set(alternative.scopes.map(idOf))] };
      read.set(alternative, known);
    }
    return known;
  };

  // Endpoints with the same alternatives are one decision (a HAR repeats the same call many times).
  const groups = new Map<string, { alternatives: readonly Alternative[]; members: number[] }>();
  for (let position = 0; position < endpoints.length; position++) {
    const alternatives = endpoints[position]!.alternatives;
    if (alternatives.length === 0) continue;
    let key = "";
    for (let at = 0; at < alternatives.length; at++) key += `${readAlternative(alternatives[at]!).id},`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { alternatives, members: [] }));
    group.members.push(position);
  }
  const decisions: Decision[] = [...groups.values()].map(({ alternatives, members }) => {
    const all = alternatives.map((alternative, index) => ({
      index,
      scopes: readAlternative(alternative).scopes,
      penalty: nonPreferred(alternative) ? members.length : 0,
    }));
    const choices = all.filter((choice) => !all.some((other) => dominates(other, choice)));
    const cost = choices.reduce((sum, choice) => sum + choice.scopes.length, 1);
    return { choices, members, cost, undercut: false };
  });
  // How many decisions name each scope (in any of their choices; `last` counts each decision once).
  const users = new Int32Array(names.length);
  const last = new Int32Array(names.length).fill(-1);
  decisions.forEach(({ choices }, at) => {
    for (const { scopes } of choices)
      for (const scope of scopes)
        if (last[scope] !== at) {
          last[scope] = at;
          users[scope]!++;
        }
  });
  for (const decision of decisions)
    decision.undercut =
      decision.choices.some((choice) => choice.penalty > 0) &&
      decision.choices.some((choice) => choice.penalty === 0 && choice.scopes.every((scope) => users[scope]! > 1));

  const state = new PlanSearch(decisions, names.length, budget);
  const { held, chosen } = state;

  // An endpoint with one alternative has no choice: take it first. The others split into groups
  // that share no scope not already taken; the smallest plan is the smallest plan of each group, so
  // each is searched on its own (the sum of the searches, not their product). Each group's plan is
  // then taken before the next group is searched.
  const undecided: number[] = [];
  decisions.forEach((decision, index) => {
    if (decision.choices.length === 1) {
      state.apply(decision.choices[0]!, 1, true);
      chosen[index] = 0;
    } else undecided.push(index);
  });
  // The size of every group first, then the preference of each: a preference pass that runs out
  // of budget must not cost a later group its proof of size.
  let lowerBound = state.size;
  let sizeProven = true;
  const groupsOf = independentGroups(undecided, decisions, held);
  const take = (group: readonly number[], plan: Int32Array, sign: 1 | -1) => {
    for (const decision of group) {
      state.apply(decisions[decision]!.choices[plan[decision]!]!, sign, true);
      chosen[decision] = sign === 1 ? plan[decision]! : -1;
    }
  };
  const proven: number[][] = [];
  for (const group of groupsOf) {
    const start = state.size;
    const plan = chosen.slice();
    const best = score(NO_PLAN, NO_PLAN);
    if (!state.exhausted) state.searchGroup(group, false, best, plan);
    if (state.exhausted) {
      sizeProven = false;
      lowerBound += rootBound(group, decisions, held);
      if (best.size === NO_PLAN) greedyFill(group, decisions, held, plan);
    } else {
      lowerBound += best.size - start;
      proven.push(group);
    }
    take(group, plan, 1);
  }
  if (prefer !== "fewest")
    for (const group of proven) {
      if (state.exhausted) break;
      // The size is proven: among plans of that size, the fewest non-preferred choices. Plans of
      // this size and this penalty are not better; the search improves on the incumbent. The
      // other groups' scopes are none of this group's, so they are left applied.
      const incumbent = score(state.size, state.penalty);
      const plan = chosen.slice();
      take(group, plan, -1);
      state.searchGroup(group, true, incumbent, plan);
      take(group, plan, 1);
    }

  const choices = new Array<number>(endpoints.length).fill(-1);
  const scopes = new Set<string>();
  decisions.forEach((decision, index) => {
    const choice = decision.choices[chosen[index]!]!;
    for (const member of decision.members) choices[member] = choice.index;
    for (const scope of choice.scopes) scopes.add(names[scope]!);
  });
  return {
    scopes: [...scopes].sort(),
    choices,
    optimal: !state.exhausted,
    lowerBound: sizeProven ? scopes.size : Math.min(scopes.size, lowerBound),
    nodes: state.nodes,
    work: state.work,
  };
}

/**
 * The search's state and steps. A node's steps are methods of their own, so that V8 optimises each
 * soon after a fresh isolate starts running them: written as one function, the node took TurboFan
 * 57-88 ms to compile (Node, `--trace-opt`), and the hill-climbed set's whole first search ran
 * unoptimised meanwhile. They are one class's methods, not closures made per planScopes call:
 * optimised code calls the others as the functions it saw, and a closure made anew by the next call
 * is a deoptimisation ("wrong call target"), so every /plan recompiled the search (in workerd with
 * Cloudflare's JIT flags, 38 ms of the hill-climbed set's second request: first-request-jit.ts). So
 * the group being searched and its incumbent are fields searchGroup sets.
 */
class PlanSearch {
  /** How many chosen alternatives hold each scope. */
  readonly held: Int32Array;
  size = 0;
  penalty = 0;
  /** Position in decision.choices, or -1. */
  readonly chosen: Int32Array;
  nodes = 0;
  work = 0;
  exhausted = false;

  /** Scratch for one decision's choices in layCandidates: what each adds, and its penalty. */
  private readonly extras: Int32Array;
  private readonly penalties: Int32Array;

  // Scratch for the packing bound: `owner[scope]` is the packed decision that may add the scope,
  // valid while `marks[scope] === stamp` (stamped, so never cleared).
  private readonly marks: Int32Array;
  private readonly owner: Int32Array;
  private stamp = 0;
  // Scratch for one alternative's bound: packed positions already subtracted carry `visit`.
  private seen = new Int32Array(0);
  private visit = 0;

  // The search's working memory: one frame per node on the current path, from `top` up. A node
  // allocates nothing else: in a fresh workerd isolate, collecting the arrays each node used to
  // leave took 30 ms of a 138 ms /plan. Frames keep only what their children need, so it stays
  // small (54K entries for bench/plan/granular-worst.txt; a fresh 4 MB buffer cost 50 ms there),
  // and bounded: a frame holds a few entries per work unit its node was charged.
  private scratch = new Int32Array(1024);
  private top = 0;

  private group: readonly number[] = [];
  private withPenalty = false;
  private best = score(NO_PLAN, NO_PLAN);
  private plan: Int32Array = new Int32Array(0);

  // What a step hands back besides its return value, read by `search` at once (the search recurses).
  private freeCount = 0;
  private penaltyBound = 0;
  private pick = -1;
  private forcedCount = 0;

  // The decisions given a non-preferred alternative on the current path of the preference pass that
  // may undercut others, for dropDominated; and its scratch: their preferred alternatives, each as
  // (next, count, scopes not held...), chained from `heads[scope]` (valid while `headMarks[scope]`
  // is `headStamp`) by the first scope it lacks.
  private readonly nonPreferred: Int32Array;
  private nonPreferredCount = 0;
  private lacking = new Int32Array(0);
  private heads = new Int32Array(0);
  private headMarks = new Int32Array(0);
  private headStamp = 0;

  constructor(
    private readonly decisions: readonly Decision[],
    scopeCount: number,
    private readonly budget: number,
  ) {
    this.held = new Int32Array(scopeCount);
    this.chosen = new Int32Array(decisions.length).fill(-1);
    this.nonPreferred = new Int32Array(decisions.length);
    let widest = 0;
    for (const decision of decisions) widest = Math.max(widest, decision.choices.length);
    this.extras = new Int32Array(widest);
    this.penalties = new Int32Array(widest);
    this.marks = new Int32Array(scopeCount);
    this.owner = new Int32Array(scopeCount);
  }

  // The search's loops index their arrays: a for-of allocates an iterator and a result object per
  // step until V8 optimises the loop, which a fresh isolate's first /plan never waits for (bench/plan/
  // granular-worst.txt: 12 of its 24 MB allocated, in Node's sampling heap profiler).
  apply(choice: Choice, sign: 1 | -1, withPenalty: boolean): void {
    const held = this.held;
    const scopes = choice.scopes;
    for (let at = 0; at < scopes.length; at++) {
      const scope = scopes[at]!;
      const before = held[scope]!;
      held[scope] = before + sign;
      if (sign === 1 && before === 0) this.size++;
      else if (sign === -1 && before === 1) this.size--;
    }
    // Added or taken away, never multiplied by the sign: -1 * 0 is -0, which is no small integer, and
    // V8 deoptimised this function on it. Read in either pass (see layCandidates).
    const penalty = choice.penalty;
    this.penalty += withPenalty ? (sign === 1 ? penalty : 0 - penalty) : 0;
  }

  /**
   * One branch-and-bound search over `searched`. With `penalized` false it minimises the size alone;
   * with it true, (size, penalty) lexicographically. `incumbent` holds the plan to beat; the search
   * improves it in place and records each better plan in `into` (positions in decision.choices).
   */
  searchGroup(searched: readonly number[], penalized: boolean, incumbent: Score, into: Int32Array): void {
    this.group = searched;
    this.withPenalty = penalized;
    this.best = incumbent;
    this.plan = into;
    const root = this.top;
    this.reserve(searched.length);
    for (let at = 0; at < searched.length; at++) this.scratch[root + at] = searched[at]!;
    this.top = root + searched.length;
    this.search(root, searched.length);
    this.top = root;
  }

  private reserve(length: number): void {
    if (this.top + length <= this.scratch.length) return;
    const grown = new Int32Array(Math.max(this.scratch.length * 2, this.top + length));
    grown.set(this.scratch.subarray(0, this.top));
    this.scratch = grown;
  }

  /** Frees a node's frame and undoes its free choices. */
  private leave(frame: number, freeAt: number, free: number): void {
    const scratch = this.scratch;
    for (let at = freeAt; at < freeAt + free; at++) this.chosen[scratch[at]!] = -1;
    this.top = frame;
  }

  /**
   * Per open decision: the alternatives still worth trying. One that adds no scope and has the
   * least penalty among those makes the decision free (held scopes stay held below this node); it
   * also dominates every alternative with as much penalty, whatever those add. Free decisions go
   * to `freeAt` (their count to `freeCount`); the others' ids to `restAt`, their least extra to
   * `minAt`, where their candidates start to `startAt`, and the candidates as (choice, extra,
   * penalty) triples to `candidateAt`. Returns how many stay open.
   */
  private layCandidates(
    openAt: number,
    openLength: number,
    freeAt: number,
    restAt: number,
    minAt: number,
    startAt: number,
    candidateAt: number,
  ): number {
    const { scratch, decisions, held, extras, penalties } = this;
    const withPenalty = this.withPenalty;
    let restCount = 0;
    let free = 0;
    let candidateCount = 0;
    for (let at = openAt; at < openAt + openLength; at++) {
      const decision = scratch[at]!;
      const choices = decisions[decision]!.choices;
      // Each choice's extra and penalty once, counted here rather than by calls: small functions
      // called this often were each compiled on their own, on the request's thread on Cloudflare.
      let zero = -1;
      for (let index = 0; index < choices.length; index++) {
        const choice = choices[index]!;
        const scopes = choice.scopes;
        let added = 0;
        for (let scope = 0; scope < scopes.length; scope++) if (held[scopes[scope]!] === 0) added++;
        // Read in either pass: a property the size pass never read has no type feedback, and the
        // preference pass then deoptimised the code V8 had optimised without it.
        const penalty = choice.penalty;
        extras[index] = added;
        penalties[index] = withPenalty ? penalty : 0;
        if (added === 0 && (zero < 0 || penalties[index]! < penalties[zero]!)) zero = index;
      }
      if (zero >= 0 && penalties[zero] === 0) {
        this.chosen[decision] = zero;
        scratch[freeAt + free++] = decision;
        continue;
      }
      const limit = zero >= 0 ? penalties[zero]! : UNBOUNDED;
      scratch[startAt + restCount] = candidateCount;
      let minExtra = UNBOUNDED;
      for (let index = 0; index < choices.length; index++) {
        if (index !== zero && penalties[index]! >= limit) continue;
        const added = extras[index]!;
        const candidate = candidateAt + 3 * candidateCount++;
        scratch[candidate] = index;
        scratch[candidate + 1] = added;
        scratch[candidate + 2] = penalties[index]!;
        if (added < minExtra) minExtra = added;
      }
      scratch[restAt + restCount] = decision;
      scratch[minAt + restCount] = minExtra;
      restCount++;
    }
    scratch[startAt + restCount] = candidateCount;
    this.freeCount = free;
    return restCount;
  }

  /**
   * Size bound: decisions whose not-yet-held scopes (over all their alternatives) are pairwise
   * disjoint each add their own minimum, and nothing another decision adds can overlap those.
   * Greedy packing, largest minimum first (ties in order); the packing order goes to `orderAt`, and
   * each packed scope's decision to `owner` (under a new `stamp`). Returns the packed minimums' sum.
   */
  private packedBound(restCount: number, restAt: number, minAt: number, orderAt: number): number {
    const scratch = this.scratch;
    const { held, marks, owner } = this;
    const stamp = ++this.stamp;
    let largest = 0;
    for (let position = 0; position < restCount; position++) largest = Math.max(largest, scratch[minAt + position]!);
    let orderCount = 0;
    for (let minimum = largest; minimum > 0; minimum--)
      for (let position = 0; position < restCount; position++)
        if (scratch[minAt + position] === minimum) scratch[orderAt + orderCount++] = position;
    let packed = 0;
    for (let at = orderAt; at < orderAt + orderCount; at++) {
      const position = scratch[at]!;
      const choices = this.decisions[scratch[restAt + position]!]!.choices;
      if (!this.packable(choices)) continue;
      for (let index = 0; index < choices.length; index++) {
        const scopes = choices[index]!.scopes;
        for (let at = 0; at < scopes.length; at++) {
          const scope = scopes[at]!;
          if (held[scope] === 0) {
            marks[scope] = stamp;
            owner[scope] = position;
          }
        }
      }
      packed += scratch[minAt + position]!;
    }
    return packed;
  }

  /** No scope any of `choices` would add is already packed at this node. */
  private packable(choices: readonly Choice[]): boolean {
    const { held, marks, stamp } = this;
    for (let index = 0; index < choices.length; index++) {
      const scopes = choices[index]!.scopes;
      for (let at = 0; at < scopes.length; at++)
        if (held[scopes[at]!] === 0 && marks[scopes[at]!] === stamp) return false;
    }
    return true;
  }

  /**
   * In the preference pass, a decision given a non-preferred alternative on this path whose preferred
   * one lacks only scopes that an open alternative would add: any plan below that takes the open
   * alternative could give that decision its preferred alternative instead, at no more scopes and
   * less penalty, so it is not the optimum. Such open alternatives are dropped (extra -1); when the
   * preferred alternative lacks nothing, so is every plan below. Exact because no rule of this
   * pass sets aside a plan of least penalty for one of more (a free or dominated alternative gives
   * way to one of no more penalty, this rule to one of less; the bounds set aside only plans no
   * better than the incumbent), so one of them reaches a leaf. Not in the size pass: there a
   * decision is made free on an alternative of any penalty, and the two rules could set aside each
   * other's plans. Returns false when the node has no plan left worth having, or when the work
   * budget ends: the decisions and alternatives it reads are charged.
   */
  private dropDominated(restCount: number, restAt: number, startAt: number, candidateAt: number): boolean {
    if (!this.withPenalty || this.nonPreferredCount === 0) return true;
    const { scratch, decisions, chosen, held, nonPreferred } = this;
    if (this.heads.length < held.length) {
      this.heads = new Int32Array(held.length);
      this.headMarks = new Int32Array(held.length);
      let room = 0;
      for (let at = 0; at < decisions.length; at++) {
        const choices = decisions[at]!.choices;
        for (let index = 0; index < choices.length; index++) room += 2 + choices[index]!.scopes.length;
      }
      this.lacking = new Int32Array(room);
    }
    const { lacking, heads, headMarks } = this;
    const stamp = ++this.headStamp;
    let end = 0;
    let charge = this.nonPreferredCount;
    let improvable = false;
    for (let at = 0; at < this.nonPreferredCount && !improvable; at++) {
      const choices = decisions[nonPreferred[at]!]!.choices;
      const penalty = choices[chosen[nonPreferred[at]!]!]!.penalty;
      for (let index = 0; index < choices.length; index++) {
        if (choices[index]!.penalty >= penalty) continue;
        const scopes = choices[index]!.scopes;
        charge += scopes.length;
        const set = end;
        let count = 0;
        for (let scope = 0; scope < scopes.length; scope++)
          if (held[scopes[scope]!] === 0) lacking[set + 2 + count++] = scopes[scope]!;
        if (count === 0) {
          improvable = true;
          break;
        }
        const first = lacking[set + 2]!;
        lacking[set] = headMarks[first] === stamp ? heads[first]! : -1;
        lacking[set + 1] = count;
        heads[first] = set;
        headMarks[first] = stamp;
        end = set + 2 + count;
      }
    }
    if (this.work + charge > this.budget) {
      this.exhausted = true;
      return false;
    }
    this.work += charge;
    if (improvable) return false;
    for (let position = 0; position < restCount; position++) {
      const choices = decisions[scratch[restAt + position]!]!.choices;
      let left = 0;
      const last = candidateAt + 3 * scratch[startAt + position + 1]!;
      for (let candidate = candidateAt + 3 * scratch[startAt + position]!; candidate < last; candidate += 3) {
        if (scratch[candidate + 1]! < 0) continue;
        if (this.completes(choices[scratch[candidate]!]!.scopes, stamp)) scratch[candidate + 1] = -1;
        else left++;
        // completes charges what it reads (a node's chains can be as long as the path, per candidate),
        // and stops where the budget ends.
        if (this.exhausted) return false;
      }
      if (left === 0) return false;
    }
    return true;
  }

  /**
   * `decision` on `choice` goes on the stack dropDominated reads. Both reads happen in either pass:
   * one the size pass skipped would have no type feedback, and the preference pass would then
   * deoptimise the code V8 had optimised without it.
   */
  private undercuts(decision: number, choice: Choice): boolean {
    const penalty = choice.penalty;
    const undercut = this.decisions[decision]!.undercut;
    return (this.withPenalty ? penalty : 0) > 0 && undercut;
  }

  /**
   * `scopes` hold every scope some chained preferred alternative lacks (see dropDominated). Each chained
   * alternative it reads is charged as work: one unit per scope it compares.
   */
  private completes(scopes: readonly number[], stamp: number): boolean {
    const { lacking, heads, headMarks } = this;
    for (let at = 0; at < scopes.length; at++) {
      if (headMarks[scopes[at]!] !== stamp) continue;
      for (let set = heads[scopes[at]!]!; set >= 0; set = lacking[set]!) {
        let all = true;
        const count = lacking[set + 1]!;
        if (this.work + count * scopes.length > this.budget) {
          this.exhausted = true;
          return false;
        }
        this.work += count * scopes.length;
        for (let missing = set + 3; missing < set + 2 + count && all; missing++)
          all = scopes.includes(lacking[missing]!);
        if (all) return true;
      }
    }
    return false;
  }

  /**
   * Per alternative, the packing bound with it taken: the packed decisions it shares no new scope
   * with still add their minimum. Alternatives that cannot reach `sizeLimit` are dropped (their extra
   * set to -1). Returns false when a decision has none left; else leaves the sum of each decision's
   * least remaining penalty in `penaltyBound`, the decisions left one alternative at `orderAt`
   * (where the packing order was, read by now; their count in `forcedCount`), and in `pick` the
   * decision to branch on without them: the one that must add the most, then the one with the
   * fewest alternatives left, then the one whose feasible alternatives differ most in penalty (with
   * a preference, the endpoints whose kind is at stake: bench/plan/granular-worst.txt's preference
   * pass took a third fewer nodes).
   */
  private boundAlternatives(
    restCount: number,
    restAt: number,
    minAt: number,
    startAt: number,
    orderAt: number,
    candidateAt: number,
    packed: number,
    sizeLimit: number,
  ): boolean {
    if (this.seen.length < restCount) this.seen = new Int32Array(restCount * 2);
    const { scratch, held, marks, owner, seen, stamp, size } = this;
    let visit = this.visit;
    let bound = 0;
    let picked = -1;
    let pickMust = -1;
    let pickFeasible = 0;
    let pickGap = -1;
    let forced = 0;
    for (let position = 0; position < restCount; position++) {
      const choices = this.decisions[scratch[restAt + position]!]!.choices;
      let minPenalty = UNBOUNDED;
      let maxPenalty = 0;
      let feasible = 0;
      const end = candidateAt + 3 * scratch[startAt + position + 1]!;
      for (let candidate = candidateAt + 3 * scratch[startAt + position]!; candidate < end; candidate += 3) {
        if (scratch[candidate + 1]! < 0) continue;
        visit++;
        let reach = packed;
        const scopes = choices[scratch[candidate]!]!.scopes;
        for (let at = 0; at < scopes.length; at++) {
          const scope = scopes[at]!;
          if (held[scope] !== 0 || marks[scope] !== stamp) continue;
          const other = owner[scope]!;
          if (seen[other] !== visit) {
            seen[other] = visit;
            reach -= scratch[minAt + other]!;
          }
        }
        if (size + scratch[candidate + 1]! + reach > sizeLimit) scratch[candidate + 1] = -1;
        else {
          feasible++;
          minPenalty = Math.min(minPenalty, scratch[candidate + 2]!);
          maxPenalty = Math.max(maxPenalty, scratch[candidate + 2]!);
        }
      }
      if (feasible === 0) {
        this.visit = visit;
        return false;
      }
      bound += minPenalty;
      if (feasible === 1) scratch[orderAt + forced++] = position;
      const must = scratch[minAt + position]!;
      // What the decision's choice puts at stake (0 in the size pass, whose candidates carry none).
      const gap = maxPenalty - minPenalty;
      if (
        must > pickMust ||
        (must === pickMust && (feasible < pickFeasible || (feasible === pickFeasible && gap > pickGap)))
      ) {
        picked = position;
        pickGap = gap;
        pickMust = must;
        pickFeasible = feasible;
      }
    }
    this.visit = visit;
    this.penaltyBound = bound;
    this.pick = picked;
    this.forcedCount = forced;
    return true;
  }

  /**
   * Every plan below takes each forced decision's one alternative: one child takes them all, where
   * a child per forced decision evaluated the same open decisions once for each (in the preference
   * pass of the hill-climbed set of the time, a chain of 175 nodes over ~200 open decisions).
   */
  private searchForced(
    keptAt: number,
    orderAt: number,
    forced: number,
    restCount: number,
    restAt: number,
    startAt: number,
    candidateAt: number,
  ): void {
    const scratch = this.scratch;
    let kept = keptAt;
    for (let at = orderAt; at < orderAt + forced; at++) {
      const position = scratch[at]!;
      let candidate = candidateAt + 3 * scratch[startAt + position]!;
      while (scratch[candidate + 1]! < 0) candidate += 3;
      scratch[kept++] = scratch[restAt + position]!;
      scratch[kept++] = scratch[candidate]!;
    }
    const forcedEnd = kept;
    for (let position = 0, next = orderAt; position < restCount; position++) {
      if (next < orderAt + forced && scratch[next] === position) next++;
      else scratch[kept++] = scratch[restAt + position]!;
    }
    this.top = kept;
    const nonPreferredBefore = this.nonPreferredCount;
    for (let at = keptAt; at < forcedEnd; at += 2) {
      const decision = scratch[at]!;
      const choice = this.decisions[decision]!.choices[scratch[at + 1]!]!;
      this.apply(choice, 1, this.withPenalty);
      this.chosen[decision] = scratch[at + 1]!;
      if (this.undercuts(decision, choice)) this.nonPreferred[this.nonPreferredCount++] = decision;
    }
    this.search(forcedEnd, kept - forcedEnd);
    this.nonPreferredCount = nonPreferredBefore;
    // The child may have grown `scratch`: this frame is read through it afresh.
    const after = this.scratch;
    for (let at = keptAt; at < forcedEnd; at += 2) {
      const decision = after[at]!;
      this.apply(this.decisions[decision]!.choices[after[at + 1]!]!, -1, this.withPenalty);
      this.chosen[decision] = -1;
    }
  }

  /**
   * One child per feasible alternative of the decision at `picked`, kept below the children: least
   * extra first, then least penalty, then catalog order; then the child's open decisions (all but
   * the pick).
   */
  private searchBranches(
    from: number,
    picked: number,
    restCount: number,
    restAt: number,
    startAt: number,
    candidateAt: number,
  ): void {
    const scratch = this.scratch;
    const decision = scratch[restAt + picked]!;
    let to = from;
    const last = candidateAt + 3 * scratch[startAt + picked + 1]!;
    for (let candidate = candidateAt + 3 * scratch[startAt + picked]!; candidate < last; candidate += 3) {
      if (scratch[candidate + 1]! < 0) continue;
      const choice = scratch[candidate]!;
      const added = scratch[candidate + 1]!;
      const candidatePenalty = scratch[candidate + 2]!;
      let slot = to;
      while (slot > from && compareCandidates(scratch, slot - 3, added, candidatePenalty, choice) > 0) {
        scratch.copyWithin(slot, slot - 3, slot);
        slot -= 3;
      }
      scratch[slot] = choice;
      scratch[slot + 1] = added;
      scratch[slot + 2] = candidatePenalty;
      to += 3;
    }
    const childAt = to;
    let childLength = 0;
    for (let position = 0; position < restCount; position++)
      if (position !== picked) scratch[childAt + childLength++] = scratch[restAt + position]!;
    this.top = childAt + childLength;
    const choices = this.decisions[decision]!.choices;
    for (let candidate = from; candidate < to; candidate += 3) {
      // The child may grow `scratch`: read this frame through it afresh each time.
      const index = this.scratch[candidate]!;
      const choice = choices[index]!;
      this.apply(choice, 1, this.withPenalty);
      this.chosen[decision] = index;
      const nonPreferredBefore = this.nonPreferredCount;
      if (this.undercuts(decision, choice)) this.nonPreferred[this.nonPreferredCount++] = decision;
      this.search(childAt, childLength);
      this.nonPreferredCount = nonPreferredBefore;
      this.chosen[decision] = -1;
      this.apply(choice, -1, this.withPenalty);
      if (this.exhausted) break;
    }
  }

  /** The node whose open decisions are `scratch[openAt, openAt + openLength)`. */
  private search(openAt: number, openLength: number): void {
    let charge = openLength;
    let choiceCount = 0;
    let widest = 0;
    for (let at = openAt; at < openAt + openLength; at++) {
      const decision = this.decisions[this.scratch[at]!]!;
      charge += decision.cost;
      choiceCount += decision.choices.length;
      widest = Math.max(widest, decision.choices.length);
    }
    if (this.work + charge > this.budget) {
      this.exhausted = true;
      return;
    }
    this.work += charge;
    this.nodes++;

    // The frame. What the node keeps while its children run comes first: its free decisions, then
    // either the forced decisions as (decision, choice) pairs or the branch's candidates, then the
    // child's open decisions: at most `2 * openLength + 3 * widest` in all. Above that, what only
    // this node reads before branching, which the children overwrite: the decisions still open
    // (`rest`), each one's least extra and where its candidates start, the packing order, and the
    // candidates as (choice, extra, penalty) triples.
    const frame = this.top;
    const freeAt = frame;
    const restAt = freeAt + 2 * openLength + 3 * widest;
    const minAt = restAt + openLength;
    const startAt = minAt + openLength;
    const orderAt = startAt + openLength + 1;
    const candidateAt = orderAt + openLength;
    this.reserve(candidateAt + 3 * choiceCount - frame);
    this.top = candidateAt + 3 * choiceCount;

    const restCount = this.layCandidates(openAt, openLength, freeAt, restAt, minAt, startAt, candidateAt);
    const free = this.freeCount;
    const best = this.best;
    if (restCount === 0) {
      if (this.size < best.size || (this.size === best.size && this.penalty < best.penalty)) {
        best.size = this.size;
        best.penalty = this.penalty;
        const { group, plan, chosen } = this;
        for (let at = 0; at < group.length; at++) plan[group[at]!] = chosen[group[at]!]!;
      }
      this.leave(frame, freeAt, free);
      return;
    }
    if (!this.dropDominated(restCount, restAt, startAt, candidateAt)) {
      this.leave(frame, freeAt, free);
      return;
    }
    const packed = this.packedBound(restCount, restAt, minAt, orderAt);
    // Without penalties only a smaller plan is better; with them, one of the same size may be.
    const sizeLimit = this.withPenalty ? best.size : best.size - 1;
    if (
      this.size + packed > sizeLimit ||
      !this.boundAlternatives(restCount, restAt, minAt, startAt, orderAt, candidateAt, packed, sizeLimit)
    ) {
      this.leave(frame, freeAt, free);
      return;
    }
    // Read in either pass (see layCandidates). With penalties the size is already proven smallest, so
    // every plan below reaches it exactly: one that cannot beat the incumbent's penalty is not
    // better, however loose the size bound.
    const reachable = this.penalty + this.penaltyBound;
    const incumbentPenalty = best.penalty;
    if ((this.withPenalty || this.size + packed === best.size) && reachable >= incumbentPenalty) {
      this.leave(frame, freeAt, free);
      return;
    }
    if (this.forcedCount > 0)
      this.searchForced(freeAt + free, orderAt, this.forcedCount, restCount, restAt, startAt, candidateAt);
    else this.searchBranches(freeAt + free, this.pick, restCount, restAt, startAt, candidateAt);
    this.leave(frame, freeAt, free);
  }
}

/** The (choice, extra, penalty) triple at `at` against another: by extra, then penalty, then choice. */
function compareCandidates(scratch: Int32Array, at: number, extra: number, penalty: number, choice: number): number {
  return scratch[at + 1]! - extra || scratch[at + 2]! - penalty || scratch[at]! - choice;
}

/**
 * `a` makes `b` pointless: no more scopes, no more penalty, and strictly better or earlier. Taking
 * `a` instead of `b` in any plan never grows the union nor the penalty.
 */
function dominates(a: Choice, b: Choice): boolean {
  if (a === b || a.penalty > b.penalty || a.scopes.length > b.scopes.length) return false;
  if (!a.scopes.every((scope) => b.scopes.includes(scope))) return false;
  return a.penalty < b.penalty || a.scopes.length < b.scopes.length || a.index < b.index;
}

/** Decisions linked by a scope not yet held (through any alternative), as groups, in decision order. */
function independentGroups(undecided: readonly number[], decisions: readonly Decision[], held: Int32Array): number[][] {
  const parent = new Map<number, number>(undecided.map((decision) => [decision, decision]));
  const root = (decision: number): number => {
    let top = decision;
    while (parent.get(top) !== top) top = parent.get(top)!;
    parent.set(decision, top);
    return top;
  };
  const owner = new Map<number, number>(); // scope -> a decision using it
  for (const decision of undecided) {
    for (const choice of decisions[decision]!.choices) {
      for (const scope of choice.scopes) {
        if (held[scope] !== 0) continue;
        const other = owner.get(scope);
        if (other === undefined) owner.set(scope, decision);
        else parent.set(root(other), root(decision));
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (const decision of undecided) {
    const top = root(decision);
    let group = groups.get(top);
    if (!group) groups.set(top, (group = []));
    group.push(decision);
  }
  return [...groups.values()];
}

/** Cheapest alternative first, in order, for one group given what is held: the fallback when the budget ends before the group has a complete plan. Writes positions into `plan`. */
function greedyFill(
  group: readonly number[],
  decisions: readonly Decision[],
  held: Int32Array,
  plan: Int32Array,
): void {
  const taken = new Set<number>();
  for (const decision of group) {
    const choices = decisions[decision]!.choices;
    let best = 0;
    let bestExtra = UNBOUNDED;
    choices.forEach((choice, at) => {
      const added = choice.scopes.filter((scope) => held[scope] === 0 && !taken.has(scope)).length;
      if (added < bestExtra || (added === bestExtra && choice.penalty < choices[best]!.penalty)) {
        best = at;
        bestExtra = added;
      }
    });
    for (const scope of choices[best]!.scopes) taken.add(scope);
    plan[decision] = best;
  }
}

/** Scopes every plan of one group must add to what is held: those common to all of a decision's alternatives, plus at least the largest remainder. */
function rootBound(group: readonly number[], decisions: readonly Decision[], held: Int32Array): number {
  const forced = new Set<number>();
  for (const decision of group) {
    const [first, ...others] = decisions[decision]!.choices;
    for (const scope of first!.scopes)
      if (held[scope] === 0 && others.every((choice) => choice.scopes.includes(scope))) forced.add(scope);
  }
  let remainder = 0;
  for (const decision of group) {
    const least = Math.min(
      ...decisions[decision]!.choices.map(
        (choice) => choice.scopes.filter((scope) => held[scope] === 0 && !forced.has(scope)).length,
      ),
    );
    remainder = Math.max(remainder, least);
  }
  return forced.size + remainder;
}
