/**
 * The examples in /openapi.json are real answers: src/routes/examples.json must be what the app answers
 * now to the example requests of scripts/examples.ts, with the bundled catalog (a fixed version) and
 * the clock pinned for GET /health's age. When this fails after a change to an answer, run
 * `npm run examples` and commit the file.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EXAMPLE_NOW, EXAMPLE_REQUESTS, collectExamples } from "../../scripts/examples";
import { openApiDocument } from "../../scripts/in-process";
import EXAMPLES from "../../src/routes/examples.json";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(EXAMPLE_NOW);
  // The failure log of app.ts: expected here, since half the example requests fail on purpose.
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("src/routes/examples.json", () => {
  it("is what the app answers now (else run `npm run examples`)", { timeout: 30_000 }, async () => {
    expect(await collectExamples()).toEqual(EXAMPLES);
  });

  it("has an example request for every operation the routes define (the hand-written /mcp and Slack aside)", async () => {
    const document = (await openApiDocument()) as { paths: Record<string, Record<string, { operationId: string }>> };
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(operations.filter((id) => id !== "mcp" && id !== "slackCommand").sort()).toEqual(
      Object.keys(EXAMPLE_REQUESTS).sort(),
    );
  });

  it("is shown by the document: each 200, each text and markdown form, each error by its code", async () => {
    const document = (await openApiDocument()) as any;
    const operations = Object.values(document.paths).flatMap((item: any) => Object.values(item)) as any[];
    for (const [operationId, examples] of Object.entries(EXAMPLES) as [string, any][]) {
      const operation = operations.find((op) => op.operationId === operationId);
      const ok = operation.responses["200"].content;
      if (examples.ok.atom) expect(ok["application/atom+xml"].example).toBe(examples.ok.atom);
      else expect(ok["application/json"].example, operationId).toEqual(examples.ok.json);
      if (examples.ok.text) {
        expect(ok["text/plain"].example).toBe(examples.ok.text);
        expect(ok["text/markdown"].example).toBe(examples.ok.markdown);
      }
      for (const [code, failure] of Object.entries(examples.errors) as [string, any][]) {
        const shown = operation.responses[String(failure.status)].content["application/json"].examples[code];
        expect(shown?.value, `${operationId} ${failure.status} ${code}`).toEqual({ error: failure.error });
      }
    }
  });
});
