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

export const DEFAULT_NODE_BUDGET = 200_000;

interface Choice {
  index: number;
  scopes: number[];
  /** 1 when the alternative is not of the preferred kind. */
  penalty: number;
}

export function planScopes(endpoints: readonly Pick<Endpoint, "alternatives">[], options: PlanOptions = {}): PlanResult {
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
    const key = endpoint.alternatives.map((alternative) => `${alternative.kind}|${alternative.scopes.join(" ")}`).join("||");
    let group = groups.get(key);
    if (!group) {
      const choices = endpoint.alternatives.map((alternative, index) => ({ index, scopes: alternative.scopes.map(idOf), penalty: penaltyOf(alternative) }));
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

  const search = (open: number[]): void => {
    if (++nodes > budget) {
      exhausted = true;
      return;
    }
    const free: number[] = []; // decided here at no cost, undone on return
    const rest: number[] = [];
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
      return undo();
    }
    if ((size + bound) * weight + penalty + penaltyBound >= bestCost) return undo();

    const others = rest.filter((decision) => decision !== pick);
    const ordered = [...decisions[pick]!.choices].sort((a, b) => extra(a) - extra(b) || a.penalty - b.penalty || a.index - b.index);
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

  search(decisions.map((_, index) => index));
  const final = best ?? greedy(decisions, names.length);

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

/** Cheapest alternative first, in order: the fallback when the budget ends before any complete plan. */
function greedy(decisions: readonly { choices: Choice[] }[], scopeCount: number): Int32Array {
  const held = new Uint8Array(scopeCount);
  return Int32Array.from(decisions, ({ choices }) => {
    let best = choices[0]!;
    let bestExtra = Number.POSITIVE_INFINITY;
    for (const choice of choices) {
      const added = choice.scopes.filter((scope) => held[scope] === 0).length;
      if (added < bestExtra || (added === bestExtra && choice.penalty < best.penalty)) {
        best = choice;
        bestExtra = added;
      }
    }
    for (const scope of best.scopes) held[scope] = 1;
    return best.index;
  });
}

/** Every plan holds the scopes common to all of an endpoint's alternatives, plus at least the largest remainder. */
function rootLowerBound(decisions: readonly { choices: Choice[] }[]): number {
  const forced = new Set<number>();
  for (const { choices } of decisions) {
    const common = choices.slice(1).reduce((shared, choice) => shared.filter((scope) => choice.scopes.includes(scope)), choices[0]!.scopes);
    for (const scope of common) forced.add(scope);
  }
  let remainder = 0;
  for (const { choices } of decisions) {
    remainder = Math.max(remainder, Math.min(...choices.map((choice) => choice.scopes.filter((scope) => !forced.has(scope)).length)));
  }
  return forced.size + remainder;
}
