/** Catalog records as answers show them: the schemas (for /openapi.json and the MCP tools) and the mappers. */
import { z } from "@hono/zod-openapi";
import { endpointNotes } from "../catalog/notes";
import { AlternativeKindSchema, type Alternative, type Endpoint } from "../catalog/schema";

export const AlternativeViewSchema = z
  .object({
    // `.describe`, not `.openapi`: the catalog's schemas come from plain zod, which may not carry the extension.
    kind: AlternativeKindSchema.describe(
      "From the scope names: `classic` (read:jira-work), `granular` (read:issue:jira), or `mixed`.",
    ),
    state: z.string().openapi({ description: "As published: Current, Beta, ...", example: "Current" }),
    scopes: z.array(z.string()).openapi({ example: ["read:board-scope:jira-software", "read:project:jira"] }),
  })
  .openapi("Alternative", { description: "One set of scopes: every scope in it is needed." });

export const EndpointViewSchema = z
  .object({
    product: z.string().openapi({ example: "jira-software" }),
    method: z.string().openapi({ example: "GET" }),
    path: z
      .string()
      .openapi({ description: "Path template as the client sends it.", example: "/rest/agile/1.0/board" }),
    operationId: z.string().optional(),
    summary: z.string().optional(),
    docsUrl: z.string(),
    alternatives: z
      .array(AlternativeViewSchema)
      .openapi({ description: "Any one alternative suffices (OR of AND-sets). Empty when no scopes are published." }),
    anonymous: z.boolean(),
    connectScope: z.string().optional(),
    deprecated: z.boolean(),
    experimental: z.boolean(),
    notes: z.array(z.string()),
  })
  .openapi("Endpoint");
export type EndpointView = z.infer<typeof EndpointViewSchema>;

export function alternativeView(alternative: Pick<Alternative, "kind" | "state" | "scopes">) {
  return { kind: alternative.kind, state: alternative.state, scopes: alternative.scopes };
}

export function endpointView(endpoint: Endpoint): EndpointView {
  return {
    product: endpoint.product,
    method: endpoint.method,
    path: endpoint.path,
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    docsUrl: endpoint.docsUrl,
    alternatives: endpoint.alternatives.map(alternativeView),
    anonymous: endpoint.anonymous,
    connectScope: endpoint.connectScope,
    deprecated: endpoint.deprecated,
    experimental: endpoint.experimental,
    notes: endpointNotes(endpoint),
  };
}
