/**
 * Answers from the catalog bundled with the package (data/), as the API's routes answer: the answer's
 * input schema, the answer itself, then its JSON or the same text view `?format=text` renders.
 *
 * The integrations' `ask` (src/integrations/ask.ts) is not used as is: it answers only text, and it
 * turns a plan none of whose endpoints matched into a failure, where POST /plan answers 200 listing
 * them. The command line promises the API's output, with or without `--url`, so it follows the routes.
 */
import type { z } from "@hono/zod-openapi";
import { DiffInputSchema, answerDiff } from "../answers/diff";
import { ExplainInputSchema, answerExplain } from "../answers/explain";
import { LookupInputSchema, answerLookup } from "../answers/lookup";
import { PlanInputSchema, answerPlan } from "../answers/plan";
import { FAILURE_STATUS, type Failure, type Result } from "../answers/result";
import { ReverseInputSchema, answerReverse } from "../answers/reverse";
import { parseInput } from "../answers/validate";
import type { ServedCatalog } from "../storage/catalog-cache";
import type { KvLike } from "../storage/catalog-store";
import { catalogFor } from "../storage/served";
import { diffText, explainText, lookupText, planText, reverseText } from "../views/text";
import type { Kind } from "./command-line";
import type { Answerer, Reply } from "./reply";

/** Each use case: the schema its route validates with, its answer and its text view. */
const USE_CASES = {
  lookup: { schema: LookupInputSchema, answer: answerLookup, text: lookupText },
  reverse: { schema: ReverseInputSchema, answer: answerReverse, text: reverseText },
  diff: { schema: DiffInputSchema, answer: answerDiff, text: diffText },
  plan: { schema: PlanInputSchema, answer: answerPlan, text: planText },
  explain: { schema: ExplainInputSchema, answer: answerExplain, text: explainText },
} as const satisfies Record<Kind, unknown>;

/** A KV namespace that holds nothing: the worker's catalog cache then serves the bundled snapshot. */
const NO_KV: KvLike = {
  get: async () => null,
  put: async () => {},
  delete: async () => {},
  list: async () => ({ keys: [], list_complete: true }),
};

/** The answerer over the bundled catalog; `catalog` is for tests that bring their own. */
export function offlineAnswerer(catalog: () => Promise<ServedCatalog> = () => catalogFor(NO_KV)): Answerer {
  return async function answerOffline(kind, input, format): Promise<Reply> {
    // One entry of the table; its three functions agree on their types by construction.
    const useCase = USE_CASES[kind] as unknown as {
      schema: z.ZodType;
      answer: (served: ServedCatalog, input: unknown) => Result<unknown>;
      text: (answer: unknown) => string;
    };
    const checked = parseInput(useCase.schema, input);
    if (!checked.ok) return failed(checked.failure);
    const answer = useCase.answer(await catalog(), checked.value);
    if (!answer.ok) return failed(answer.failure);
    return format === "text"
      ? { ok: true, format, text: useCase.text(answer.value) }
      : { ok: true, format, json: answer.value };
  };
}

/** A failure as the API answers it: its status, and `{code, message, details}`. */
export function failed(failure: Failure): Reply {
  return {
    ok: false,
    status: FAILURE_STATUS[failure.reason],
    error: {
      code: failure.reason,
      message: failure.message,
      ...(failure.details === undefined ? {} : { details: failure.details }),
    },
  };
}
