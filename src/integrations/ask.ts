/**
 * What the integrations (MCP tools, the Slack command) ask the answer layer, and its answer as the
 * text lines the API's `?format=text` gives: one implementation, one set of messages, no HTTP in between.
 */
import { answerTooLarge, overAnswerCap } from "../answers/size-cap";
import type { z } from "@hono/zod-openapi";
import { DiffInputSchema, answerDiff } from "../answers/diff";
import { ExplainInputSchema, answerExplain } from "../answers/explain";
import { LookupInputSchema, answerLookup } from "../answers/lookup";
import { type PlanAnswer, PlanInputSchema, answerPlan } from "../answers/plan";
import {
  FAILURE_STATUS,
  type Failure,
  type FailureReason,
  type Result,
  catalogDamaged,
  catalogUnavailable,
} from "../answers/result";
import { ReverseInputSchema, answerReverse } from "../answers/reverse";
import { parseInput } from "../answers/validate";
import { credentialMessage, findSecretInRequest } from "../middleware/secret-scan";
import type { ServedCatalog } from "../storage/catalog-cache";
import { CorruptValueError } from "../storage/catalog-store";
import { diffText, explainText, lookupText, planText, reverseText } from "../views/text";

/** A use case and its input as given: `ask` checks it with that answer's input schema. */
export interface Question {
  kind: QuestionKind;
  input: Record<string, unknown>;
}

/** The answer's text lines, or the failure that stands for it. */
export type TextAnswer = { ok: true; text: string } | { ok: false; failure: Failure };

/** Each use case: its input schema, its answer and its text view. */
const USE_CASES = {
  lookup: { schema: LookupInputSchema, answer: answerLookup, text: lookupText },
  reverse: { schema: ReverseInputSchema, answer: answerReverse, text: reverseText },
  diff: { schema: DiffInputSchema, answer: answerDiff, text: diffText },
  plan: { schema: PlanInputSchema, answer: answerPlan, text: planText },
  explain: { schema: ExplainInputSchema, answer: answerExplain, text: explainText },
} as const;

export type QuestionKind = keyof typeof USE_CASES;

/** One entry of the table; its three functions agree on their types by construction. */
const useCaseOf = (kind: QuestionKind) =>
  USE_CASES[kind] as unknown as {
    schema: z.ZodType;
    answer: (served: ServedCatalog, input: unknown) => Result<unknown>;
    text: (answer: unknown) => string;
  };

/** The input as the use case's answer takes it, checked with its own schema (the same rules as its route). */
export function checkInput(kind: QuestionKind, input: unknown): Result<unknown> {
  return parseInput(useCaseOf(kind).schema, input);
}

/** The answer to checked input, and its text lines when asked for. */
export function answerChecked(
  kind: QuestionKind,
  served: ServedCatalog,
  input: unknown,
): Result<{ answer: unknown; text: () => string }> {
  const useCase = useCaseOf(kind);
  const answer = useCase.answer(served, input);
  return answer.ok ? { ok: true, value: { answer: answer.value, text: () => useCase.text(answer.value) } } : answer;
}

/**
 * The input is checked with the answer's own schema (the integrations build it from a tool's
 * arguments or a chat line); `catalog` is read only once the input is known to be good.
 */
export async function ask(catalog: () => Promise<ServedCatalog>, question: Question): Promise<TextAnswer> {
  // Credentials never enter the system, whichever surface carried them (the HTTP guard sees only HTTP).
  // Scanned as JSON and, where JSON escaped something (a newline before a token becomes `\n`), unescaped.
  const secret = findSecretInRequest({ body: JSON.stringify(question.input) });
  if (secret) return { ok: false, failure: { reason: "credential_detected", message: credentialMessage(secret) } };
  const input = checkInput(question.kind, question.input);
  if (!input.ok) return input;
  let served: ServedCatalog;
  try {
    served = await catalog();
  } catch (error) {
    console.error(`no catalog: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false, failure: catalogUnavailable("Try again shortly.") };
  }
  let answered: ReturnType<typeof answerChecked>;
  try {
    answered = answerChecked(question.kind, served, input.value);
  } catch (error) {
    // A stored endpoint failed its check when first read; the next ask is served from another version.
    if (!(error instanceof CorruptValueError)) throw error;
    console.error(error.message);
    return { ok: false, failure: catalogDamaged() };
  }
  if (!answered.ok) return answered;
  const nothing = question.kind === "plan" ? nothingPlanned(answered.value.answer as PlanAnswer) : undefined;
  if (nothing) return { ok: false, failure: nothing };
  const text = answered.value.text();
  const bytes = overAnswerCap(text);
  if (bytes !== undefined) return { ok: false, failure: answerTooLarge(bytes) };
  return { ok: true, text };
}

/**
 * A plan none of whose endpoints matched: the HTTP answer is a 200 listing them under `unmatched`, but
 * to an assistant or a chat an empty plan reads as success, so the integrations answer it as the failure
 * of the first endpoint, with its suggestions.
 */
function nothingPlanned(plan: PlanAnswer): Failure | undefined {
  const first = plan.unmatched[0];
  if (plan.endpoints.length + plan.withoutScopes.length > 0 || !first) return undefined;
  const count = plan.unmatched.length;
  return {
    reason: first.error.code in FAILURE_STATUS ? (first.error.code as FailureReason) : "endpoint_not_found",
    message: `None of the ${count} endpoint${count === 1 ? "" : "s"} given matched the catalog, so there is nothing to plan. The first: ${first.error.message}`,
    details: (first.error.details as Record<string, unknown> | undefined) ?? {},
  };
}

/** What a failure offers in `details.suggestions` (unknown paths and scope names), nearest first. */
export function suggestionsOf(failure: Failure): string[] {
  const suggestions = failure.details?.suggestions;
  return Array.isArray(suggestions) ? suggestions.filter((item): item is string => typeof item === "string") : [];
}
