/**
 * zod reads its memoizer when a schema is constructed (src/zod-config.ts): the app's schemas are built
 * without cycle support only while that module is evaluated before any of them. Imported first here
 * too, so that the schemas below are built as the worker builds them.
 */
import { WITHOUT_CYCLES } from "../src/zod-config";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { DiffInputSchema } from "../src/answers/diff";

const ROOT = join(import.meta.dirname, "..");
const firstImport = (file: string) =>
  readFileSync(join(ROOT, file), "utf8")
    .split("\n")
    .find((line) => line.startsWith("import "));

describe("zod without cycle support", () => {
  it("is zod's configuration once the module is imported", () => {
    expect(z.config().memoizer).toBe(WITHOUT_CYCLES);
  });

  it("is the app's first import, and the app the entry points' first", () => {
    expect(firstImport("src/app.ts")).toBe('import "./zod-config";');
    expect(firstImport("src/index.ts")).toBe('import { app } from "./app";');
    expect(firstImport("bench/http-worker.ts")).toBe('import { app } from "../src/app";');
  });

  it("leaves a schema's parse as built (zod's default memoizer swaps it after the first parse)", () => {
    const parse = DiffInputSchema._zod.parse;
    const body = { scopes: ["read:jira-work"], endpoints: ["GET /rest/api/3/myself"] };
    expect(DiffInputSchema.parse(body)).toEqual(body);
    expect(DiffInputSchema._zod.parse).toBe(parse);
    const refused = DiffInputSchema.safeParse({ scopes: 5, endpoints: [""] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path.join("."))).toEqual(["scopes", "endpoints.0"]);
  });
});
