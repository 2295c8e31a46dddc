/** What a command line asks and what comes back, whether the bundled catalog or a deployed instance answers. */
import type { Kind } from "./command-line";

export type Format = "text" | "json";

/** The API's error, as its body carries it (src/errors.ts). */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export type Reply =
  | { ok: true; format: "text"; text: string }
  | { ok: true; format: "json"; json: unknown }
  /** `status`: the HTTP status the API answers (or would answer) with; 0 when it could not be reached. */
  | { ok: false; status: number; error: ApiErrorBody };

/** Answers one question in the format asked. Never throws: a failure is a Reply. */
export type Answerer = (kind: Kind, input: Record<string, unknown>, format: Format) => Promise<Reply>;
