/** The `credential` every query takes: its schema, reading it, and how an answer says which one counted. No I/O. */
import { z } from "@hono/zod-openapi";
import {
  CREDENTIAL_KINDS,
  CREDENTIAL_TITLES,
  credentialSuggestions,
  credentialNote,
  isCredentialKind,
  type CredentialKind,
} from "../catalog/credentials";
import { fail, ok, type Result } from "./result";
import { lazy } from "../lazy";

// A string, not an enum: an unknown value is answered 400 `invalid_credential` with the list, not a generic zod error.
export const CredentialInputSchema = z.string().openapi({
  description: `The kind of credential that will call the endpoints; only the scope sets it can hold are proposed, the others are shown with why not, and an endpoint it cannot call at all (Bitbucket's auth types, an INACCESSIBLE Connect scope, a document that names other apps: "Only Connect and OAuth 2.0 apps can use this operation.") is set apart with why (\`unusable\`; /explain: \`credential_cannot_call\`). One of: ${CREDENTIAL_KINDS.map((kind) => `\`${kind}\` (${CREDENTIAL_TITLES[kind]})`).join("; ")}. Any other value is 400 \`invalid_credential\`, its \`details.suggestions\` naming the kinds it most likely means (\`3lo\` → \`oauth2-3lo\`, \`scoped-token\` → \`scoped-api-token\`, \`app-password\` → \`bitbucket-api-token\`: Bitbucket app passwords were removed on 2026-07-28).`,
  example: "bitbucket-api-token",
});

export const CredentialAnswerSchema = lazy(() =>
  z
    .object({
      kind: z.enum(CREDENTIAL_KINDS),
      inferred: z.boolean().openapi({ description: "True when read off the held scopes rather than given." }),
      reason: z.string().optional(),
    })
    .openapi("Credential", {
      description: "The credential the answer is for: given, or inferred from the held scopes.",
    }),
);
export type CredentialAnswer = z.infer<ReturnType<typeof CredentialAnswerSchema>>;

/** `credential` as given: undefined when absent, a 400 `invalid_credential` naming the kinds when unknown. */
export function readCredential(value: string | undefined): Result<CredentialKind | undefined> {
  if (value === undefined) return ok(undefined);
  // Format characters (a zero-width space pasted with the name) are not part of any kind.
  const kind = value
    .replace(/\p{Cf}/gu, "")
    .trim()
    .toLowerCase();
  if (kind === "") return ok(undefined);
  if (isCredentialKind(kind)) return ok(kind);
  const given = value.trim().slice(0, 60);
  const suggestions = credentialSuggestions(given);
  const note = credentialNote(given);
  const meant = suggestions.length > 0 ? ` Did you mean ${suggestions.join(" or ")}?` : "";
  return fail(
    "invalid_credential",
    `\`credential\` ${JSON.stringify(given)} is not a credential kind; use one of ${CREDENTIAL_KINDS.join(", ")}, or leave it out.${note ? ` ${note}` : ""}${meant}`,
    { credential: given, kinds: [...CREDENTIAL_KINDS], suggestions },
  );
}
