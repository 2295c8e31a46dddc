/**
 * The input schemas of the API's own routes, taken from the OpenAPI registry of each route's sub-app:
 * the MCP tools validate their arguments with the very zod objects the HTTP routes use (same rules,
 * same messages), without the route modules having to export them.
 */
import { z } from "@hono/zod-openapi";

interface RouteDefinition {
  type: string;
  route?: {
    method?: string;
    request?: { query?: unknown; body?: { content?: Record<string, { schema?: unknown } | undefined> } };
  };
}

/** The query schema of the sub-app's GET route, or the JSON body schema of its POST route. */
export function routeInputSchema(
  subApp: { openAPIRegistry: { definitions: readonly unknown[] } },
  method: "get" | "post",
): z.ZodObject {
  for (const definition of subApp.openAPIRegistry.definitions as readonly RouteDefinition[]) {
    if (definition.type !== "route" || definition.route?.method !== method) continue;
    const request = definition.route.request;
    const schema = method === "get" ? request?.query : request?.body?.content?.["application/json"]?.schema;
    if (schema instanceof z.ZodObject) return schema;
  }
  throw new Error(
    `no ${method.toUpperCase()} route with a zod ${method === "get" ? "query" : "JSON body"} schema in this sub-app`,
  );
}

/**
 * The route's schema as a tool's input: fields in `omit` left out (e.g. `format`), the others kept with
 * their validation and given the descriptions assistants read.
 */
export function toolInputSchema(
  base: z.ZodObject,
  descriptions: Record<string, string>,
  omit: readonly string[] = [],
): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(base.shape as Record<string, z.ZodType>)) {
    if (omit.includes(name)) continue;
    const description = descriptions[name];
    shape[name] = description ? field.describe(description) : field;
  }
  for (const name of Object.keys(descriptions))
    if (!(name in shape)) throw new Error(`the route schema has no field ${name}`);
  return z.object(shape);
}
