/**
 * Least-privilege planning: for each endpoint choose exactly one alternative so that the union of
 * scopes is smallest; ties go to the preferred kind, then to the earliest alternative in catalog
 * order (classic first, Current before Beta). Exact branch and bound within a node budget; past it,
 * the best plan found is returned with a proven lower bound. No I/O.
 */
import type { Alternative, Endpoint } from "./schema";

export type Preference = "fewest" | "granular" | "classic";

export interface PlanOptions {
  prefer?: Preference;
  /** Search nodes before giving up on proving optimality. */
  nodeBudget?: number;
}

export interface PlanResult {
  /** The scope set, sorted. */
  scopes: string[];
  /** For each endpoint given (same order), the index of the chosen alternative, or -1 when it has none. */
  choices: number[];
  /** True when the search proved that no plan is better (fewer scopes, then fewer non-preferred choices). */
  optimal: boolean;
  /** No plan has fewer scopes than this; equals scopes.length when optimal. */
  lowerBound: number;
  nodes: number;
}

const DEFAULT_NODE_BUDGET = 200_000;

interface Choice {
  index: number;
  scopes: number[];
  /** 1 when the alternative is not of the preferred kind. */
  penalty: number;
}

export function planScopes(
  endpoints: readonly Pick<Endpoint, "alternatives">[],
  options: PlanOptions = {},
): PlanResult {
  const prefer = options.prefer ?? "fewest";
  const budget = options.nodeBudget ?? DEFAULT_NODE_BUDGET;

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
  const penaltyOf = (alternative: Alternative) => (prefer === "fewest" || alternative.kind === prefer ? 0 : 1);

  // Endpoints with the same alternatives are one decision (a HAR repeats the same call many times).
  const groups = new Map<string, { choices: Choice[]; members: number[] }>();
  endpoints.forEach((endpoint, position) => {
    if (endpoint.alternatives.length === 0) return;
    const key = endpoint.alternatives
      .map((alternative) => `${alternative.kind}|${alternative.scopes.join(" ")}`)
      .join("||");
    let group = groups.get(key);
    if (!group) {
      const choices = endpoint.alternatives.map((alternative, index) => ({
        index,
        scopes: alternative.scopes.map(idOf),
        penalty: penaltyOf(alternative),
      }));
      groups.set(key, (group = { choices, members: [] }));
    }
    group.members.push(position);
  });
  const decisions = [...groups.values()];
  const count = decisions.length;
  const weight = count + 1; // one more scope always outweighs every tie-break penalty

  const held = new Int32Array(names.length); // how many chosen alternatives hold each scope
  let size = 0;
  let penalty = 0;
  const chosen = new Int32Array(count).fill(-1);
  let best: Int32Array | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  let nodes = 0;
  let exhausted = false;

  const apply = (choice: Choice, sign: 1 | -1) => {
    for (const scope of choice.scopes) {
      const before = held[scope]!;
      held[scope] = before + sign;
      if (sign === 1 && before === 0) size++;
      else if (sign === -1 && before === 1) size--;
    }
    penalty += sign * choice.penalty;
  };
  const extra = (choice: Choice) => {
    let added = 0;
    for (const scope of choice.scopes) if (held[scope] === 0) added++;
    return added;
  };

  // A lower bound on the scopes the open decisions must still add, much tighter than the largest
  // single minimum: decisions whose not-yet-held scopes (over all their alternatives) are pairwise
  // disjoint each add their own minimum, and nothing another decision adds can overlap those.
  // Greedy, largest minimum first; `marks` records the scopes taken (stamped, so never cleared).
  const marks = new Int32Array(names.length);
  let stamp = 0;
  const packingBound = (rest: readonly number[], minExtras: readonly number[]): number => {
    stamp++;
    const order = rest.map((_, position) => position).sort((a, b) => minExtras[b]! - minExtras[a]!);
    let bound = 0;
    for (const position of order) {
      const minimum = minExtras[position]!;
      if (minimum === 0) break;
      const choices = decisions[rest[position]!]!.choices;
      let disjoint = true;
      for (const choice of choices) {
        for (const scope of choice.scopes) {
          if (held[scope] === 0 && marks[scope] === stamp) {
            disjoint = false;
            break;
          }
        }
        if (!disjoint) break;
      }
      if (!disjoint) continue;
      for (const choice of choices) for (const scope of choice.scopes) if (held[scope] === 0) marks[scope] = stamp;
      bound += minimum;
    }
    return bound;
  };

  const search = (open: number[]): void => {
    if (++nodes > budget) {
      exhausted = true;
      return;
    }
    const free: number[] = []; // decided here at no cost, undone on return
    const rest: number[] = [];
    const minExtras: number[] = [];
    let bound = 0;
    let penaltyBound = 0;
    let pick = -1;
    for (const decision of open) {
      const choices = decisions[decision]!.choices;
      let minExtra = Number.POSITIVE_INFINITY;
      let minPenalty = 1;
      let costless: Choice | undefined;
      for (const choice of choices) {
        const added = extra(choice);
        if (added < minExtra) minExtra = added;
        if (choice.penalty < minPenalty) minPenalty = choice.penalty;
        if (added === 0 && choice.penalty === 0 && !costless) costless = choice;
      }
      if (costless) {
        chosen[decision] = costless.index;
        free.push(decision);
        continue;
      }
      rest.push(decision);
      minExtras.push(minExtra);
      penaltyBound += minPenalty;
      // Branch on the decision that must add the most: it bounds hardest and prunes earliest.
      if (pick < 0 || minExtra > bound) pick = decision;
      if (minExtra > bound) bound = minExtra;
    }
    const undo = () => {
      for (const decision of free) chosen[decision] = -1;
    };
    if (rest.length === 0) {
      const cost = size * weight + penalty;
      if (cost < bestCost) {
        bestCost = cost;
        best = chosen.slice();
      }
      undo();
      return;
    }
    const pruned =
      (size + bound) * weight + penalty + penaltyBound >= bestCost ||
      (bestCost !== Number.POSITIVE_INFINITY &&
        (size + packingBound(rest, minExtras)) * weight + penalty + penaltyBound >= bestCost);
    if (pruned) {
      undo();
      return;
    }

    const others = rest.filter((decision) => decision !== pick);
    const ordered = [...decisions[pick]!.choices].sort(
      (a, b) => extra(a) - extra(b) || a.penalty - b.penalty || a.index - b.index,
    );
    for (const choice of ordered) {
      apply(choice, 1);
      chosen[pick] = choice.index;
      search(others);
      chosen[pick] = -1;
      apply(choice, -1);
      if (exhausted) break;
    }
    undo();
  };

  // An endpoint with one alternative has no choice: take it first. The others split into groups
  // that share no scope not already taken; the smallest plan is the smallest plan of each group, so
  // each is searched on its own (the sum of the searches, not their product). Each group's plan is
  // then taken before the next group is searched.
  const undecided: number[] = [];
  decisions.forEach((decision, index) => {
    if (decision.choices.length === 1) {
      apply(decision.choices[0]!, 1);
      chosen[index] = decision.choices[0]!.index;
    } else undecided.push(index);
  });
  for (const group of independentGroups(undecided, decisions, held)) {
    best = undefined;
    bestCost = Number.POSITIVE_INFINITY;
    if (!exhausted) search(group);
    const plan = best ?? greedyFill(group, decisions, held, chosen);
    for (const decision of group) {
      const choice = decisions[decision]!.choices[plan[decision]!]!;
      apply(choice, 1);
      chosen[decision] = choice.index;
    }
  }
  const final = chosen;

  const choices = new Array<number>(endpoints.length).fill(-1);
  const scopes = new Set<string>();
  decisions.forEach((decision, index) => {
    const alternative = final[index]!;
    for (const member of decision.members) choices[member] = alternative;
    for (const scope of decision.choices[alternative]!.scopes) scopes.add(names[scope]!);
  });
  const optimal = !exhausted;
  return {
    scopes: [...scopes].sort(),
    choices,
    optimal,
    lowerBound: optimal ? scopes.size : Math.min(scopes.size, rootLowerBound(decisions)),
    nodes,
  };
}

/** Decisions linked by a scope not yet held (through any alternative), as groups, in decision order. */
function independentGroups(
  undecided: readonly number[],
  decisions: readonly { choices: Choice[] }[],
  held: Int32Array,
): number[][] {
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

/** Cheapest alternative first, in order, for one group given what is held: the fallback when the budget ends before the group has a complete plan. Returns a full `chosen` array. */
function greedyFill(
  group: readonly number[],
  decisions: readonly { choices: Choice[] }[],
  held: Int32Array,
  chosen: Int32Array,
): Int32Array {
  const plan = chosen.slice();
  const taken = new Set<number>();
  for (const decision of group) {
    let best = decisions[decision]!.choices[0]!;
    let bestExtra = Number.POSITIVE_INFINITY;
    for (const choice of decisions[decision]!.choices) {
      const added = choice.scopes.filter((scope) => held[scope] === 0 && !taken.has(scope)).length;
      if (added < bestExtra || (added === bestExtra && choice.penalty < best.penalty)) {
        best = choice;
        bestExtra = added;
      }
    }
    for (const scope of best.scopes) taken.add(scope);
    plan[decision] = best.index;
  }
  return plan;
}

/** Every plan holds the scopes common to all of an endpoint's alternatives, plus at least the largest remainder. */
function rootLowerBound(decisions: readonly { choices: Choice[] }[]): number {
  const forced = new Set<number>();
  for (const { choices } of decisions) {
    const common = choices
      .slice(1)
      .reduce((shared, choice) => shared.filter((scope) => choice.scopes.includes(scope)), choices[0]!.scopes);
    for (const scope of common) forced.add(scope);
  }
  let remainder = 0;
  for (const { choices } of decisions) {
    remainder = Math.max(
      remainder,
      Math.min(...choices.map((choice) => choice.scopes.filter((scope) => !forced.has(scope)).length)),
    );
  }
  return forced.size + remainder;
}
