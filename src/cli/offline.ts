/**
 * Answers from the catalog bundled with the package (data/), as the API's routes answer: the answer's
 * input schema, the answer itself, then its JSON or the same text view `?format=text` renders.
 *
 * The integrations' `ask` is not used as is: it answers only text, and it turns a plan none of whose
 * endpoints matched into a failure, where POST /plan answers 200 listing them. The command line promises
 * the API's output, with or without `--url`, so it uses ask's checked input and answers directly.
 */
import { FAILURE_STATUS, type Failure } from "../answers/result";
import { answerChecked, checkInput } from "../integrations/ask";
import type { ServedCatalog } from "../storage/catalog-cache";
import type { KvLike } from "../storage/catalog-store";
import { catalogFor } from "../storage/served";
import type { Answerer, Reply } from "./reply";

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
    const checked = checkInput(kind, input);
    if (!checked.ok) return failed(checked.failure);
    const answered = answerChecked(kind, await catalog(), checked.value);
    if (!answered.ok) return failed(answered.failure);
    return format === "text"
      ? { ok: true, format, text: answered.value.text() }
      : { ok: true, format, json: answered.value.answer };
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
