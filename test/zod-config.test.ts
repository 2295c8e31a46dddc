/**
 * zod reads its memoizer when a schema is constructed (src/zod-config.ts): the app's schemas are built
 * without cycle support only while that module is evaluated before any of them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { DiffInputSchema } from "../src/answers/diff";
import { WITHOUT_CYCLES } from "../src/zod-config";

describe("zod without cycle support", () => {
  it("is zod's configuration once the module is imported", () => {
    expect(z.config().memoizer).toBe(WITHOUT_CYCLES);
  });

  it("is the app's first import, so it is set before the app's modules build their schemas", () => {
    const source = readFileSync(join(import.meta.dirname, "../src/app.ts"), "utf8");
    const firstImport = source.split("\n").find((line) => line.startsWith("import "));
    expect(firstImport).toBe('import "./zod-config";');
  });

  it("parses and refuses as before", () => {
    const body = { scopes: ["read:jira-work"], endpoints: ["GET /rest/api/3/myself"] };
    expect(DiffInputSchema.parse(body)).toEqual(body);
    const refused = DiffInputSchema.safeParse({ scopes: 5, endpoints: [""] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path.join("."))).toEqual(["scopes", "endpoints.0"]);
  });
});
