import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import ts from "typescript";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script, without type declarations
import { compileEagerly, writeEagerSources } from "../../scripts/eager-sources.mjs";

const ROOT = resolve(import.meta.dirname, "../..");

/** The module's exports, run as CommonJS (types stripped). */
function run(source: string, target = ts.ScriptTarget.ES5): Record<string, (...args: unknown[]) => unknown> {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target } }).outputText;
  const module = { exports: {} as Record<string, (...args: unknown[]) => unknown> };
  new Function("module", "exports", js)(module, module.exports);
  return module.exports;
}

describe("compileEagerly", () => {
  const source = [
    "const table = build();",
    "function build(): number[] { return [1, 2]; }",
    "export function sum(values: readonly number[]): number { return values.reduce((a, b) => a + b, 0) + helper(); }",
    "function helper() { return table.length; }",
    "export async function later(value: string): Promise<string> { return value; }",
    "export function* count(): Generator<number> { yield 1; yield 2; }",
    "export function pick(value: string): string;",
    "export function pick(value: number): number;",
    "export function pick(value: unknown) { return value; }",
    "export default function main() { return sum([1]); }",
  ].join("\n");

  it("writes each top-level function as a parenthesized expression, the source's own name, parameters and types kept", () => {
    const { text, rewritten, kept } = compileEagerly(source);
    expect(text).toContain(
      "export const sum = (function sum(values: readonly number[]): number { return values.reduce((function (a, b) { return ( a + b); }), 0) + helper(); });",
    );
    expect(text).toContain("const helper = (function helper() { return table.length; });");
    expect(text).toContain(
      "export const later = (async function later(value: string): Promise<string> { return value; });",
    );
    expect(text).toContain("export const count = (function* count(): Generator<number> { yield 1; yield 2; });");
    expect(rewritten).toBe(4);
    // Read by the top level before its declaration, an overloaded implementation, a default export.
    expect(kept).toBe(3);
    expect(text).toContain("function build(): number[]");
    expect(text).toContain("export function pick(value: unknown) { return value; }");
    expect(text).toContain("export default function main()");
  });

  it("keeps a declaration that the top level calls first: directly, through another function, an immediately called function or a class's static part", () => {
    const module = [
      "const early = (() => first())();",
      "class Table { static rows = second(); third = third(); method() { return fourth(); } }",
      "function first() { return 1; }",
      "function second() { return 2; }",
      "function third() { return 3; }",
      "function fourth() { return 4; }",
      "function viaHelper() { return reachedLate(); }",
      "const late = viaHelper();",
      "function reachedLate() { return 5; }",
    ].join("\n");
    const { text } = compileEagerly(module);
    expect(text).toContain("function first() { return 1; }");
    expect(text).toContain("function second() { return 2; }");
    // Called at the top level through a function declared before the call: that one is defined in
    // time, the one it calls is not.
    expect(text).toContain("const viaHelper = (function viaHelper() { return reachedLate(); });");
    expect(text).toContain("function reachedLate() { return 5; }");
    // Instance fields and methods run later, when the class is used.
    expect(text).toContain("const third = (function third() { return 3; });");
    expect(text).toContain("const fourth = (function fourth() { return 4; });");
  });

  it("writes inner functions, arrow functions and class methods so that V8 compiles them with what holds them", () => {
    const module = [
      "export const double = (values: number[]) => values.map(value => value * 2);",
      "export const later = async (value: string): Promise<string> => { return value; };",
      "export const self = function () { return 1; };",
      "export const bound = (value: number) => this?.value ?? value;",
      "export class Box<T> {",
      "  private items: T[] = [];",
      "  constructor(first: T) { this.items.push(first); }",
      "  add(item: T): this { this.items.push(item); return this; }",
      "  get size(): number { return this.items.length; }",
      "  static of<T>(item: T) { return new Box(item); }",
      "}",
      "export class Later extends Box<number> { add(item: number) { return super.add(item + 1); } }",
      "export class Early { static made = Early.make(); static make() { return new Early(); } }",
    ].join("\n");
    const { text, inner } = compileEagerly(module);
    expect(text).toContain(
      "export const double = (function (values: number[]) { return ( values.map((function (value) { return ( value * 2); }))); });",
    );
    expect(text).toContain(
      // `=>` dropped, the blanks around it kept.
      "export const later = (async function (value: string): Promise<string>  { return value; });",
    );
    expect(text).toContain("export const self = (function () { return 1; });");
    // An arrow function that reads `this` keeps it.
    expect(text).toContain("export const bound = (value: number) => this?.value ?? value;");
    expect(text).toContain(
      '  static { Object.defineProperty(this.prototype, "add", { value: (function (item: T): this { this.items.push(item); return this; }), writable: true, configurable: true }); }',
    );
    expect(text).toContain(
      '  static { Object.defineProperty(this.prototype, "size", { get: (function (): number { return this.items.length; }), configurable: true }); }',
    );
    expect(text).toContain(
      '  static { Object.defineProperty(this, "of", { value: (function <T>(item: T) { return new Box(item); }), writable: true, configurable: true }); }',
    );
    // The constructor, a method that reads `super`, and a class whose static fields could call a
    // method before its block defines it are left as they are.
    expect(text).toContain("  constructor(first: T) { this.items.push(first); }");
    expect(text).toContain("add(item: number) { return super.add(item + 1); }");
    expect(text).toContain("export class Early { static made = Early.make(); static make() { return new Early(); } }");
    expect(inner).toBe(7);
    expect(text.split("\n").length).toBe(module.split("\n").length);

    // As the worker runs them: classes, their fields and static blocks as written (ES2022).
    const before = run(module.replace("this?.value ?? ", ""), ts.ScriptTarget.ES2022);
    const after = run(compileEagerly(module.replace("this?.value ?? ", "")).text, ts.ScriptTarget.ES2022);
    for (const exports of [before, after]) {
      expect(exports.double!([1, 2])).toEqual([2, 4]);
      type Boxed = { add(item: number): Boxed; size: number };
      const Box = exports.Box as unknown as { of(item: number): Boxed };
      const box = Box.of(1);
      box.add(2).add(3);
      expect(box.size).toBe(3);
      // Methods are not enumerable, as a class's are.
      expect(Object.keys(Object.getPrototypeOf(box))).toEqual([]);
      const Later = exports.Later as unknown as new (first: number) => Boxed;
      expect(new Later(1).add(1)).toBeInstanceOf(Later);
    }
  });

  it("leaves the module's behaviour as it was", async () => {
    const before = run(source);
    const after = run(compileEagerly(source).text);
    expect(after.sum!([3, 4])).toBe(before.sum!([3, 4]));
    expect(after.sum!([3, 4])).toBe(9);
    expect([...(after.count!() as Iterable<number>)]).toEqual([1, 2]);
    expect(await after.later!("x")).toBe("x");
    expect(after.default!()).toBe(before.default!());
  });

  it("rewrites every worker module of src/ into TypeScript that still parses, line for line", () => {
    const files = spawnSync("git", ["ls-files", "src/**/*.ts"], { cwd: ROOT, encoding: "utf8" })
      .stdout.trim()
      .split("\n")
      .filter((file) => !file.startsWith("src/page/client/") && !file.startsWith("src/cli/"));
    let rewritten = 0;
    for (const file of files) {
      const original = readFileSync(join(ROOT, file), "utf8");
      const eager = compileEagerly(original, file);
      rewritten += eager.rewritten;
      // Line for line: a deployed stack trace's source-mapped line is the line in src/.
      expect(eager.text.split("\n").length).toBe(original.split("\n").length);
      const { diagnostics } = ts.transpileModule(eager.text, { fileName: file, reportDiagnostics: true });
      expect(diagnostics?.map((diagnostic) => `${file}: ${diagnostic.messageText}`) ?? []).toEqual([]);
    }
    expect(rewritten).toBeGreaterThan(300);
    // TypeScript transpiles every module: 3.3 s here, past the default 5 s on a loaded machine (63 s
    // at a load average of 26).
  }, 120_000);
});

describe("writeEagerSources", () => {
  it("mirrors src/, scraper/ and the bench worker, links data/, rewrites only what changed and drops what is gone", () => {
    const out = mkdtempSync(join(tmpdir(), "eager-"));
    const first = writeEagerSources(out);
    expect(first.functions).toBeGreaterThan(300);
    const lookup = join(out, "src/catalog/lookup.ts");
    expect(readFileSync(lookup, "utf8")).toContain("export const lookupEndpoints = (function lookupEndpoints(");
    // The scraper and the page's browser script are copied as they are.
    expect(readFileSync(join(out, "scraper/run.ts"), "utf8")).toBe(readFileSync(join(ROOT, "scraper/run.ts"), "utf8"));
    expect(existsSync(join(out, "bench/http-worker.ts"))).toBe(true);
    expect(lstatSync(join(out, "data")).isSymbolicLink()).toBe(true);
    expect(existsSync(join(out, "data/snapshot.ts"))).toBe(true);

    const written = statSync(lookup).mtimeMs;
    writeFileSync(join(out, "src/gone.ts"), "export const gone = 1;\n");
    writeEagerSources(out);
    expect(statSync(lookup).mtimeMs).toBe(written);
    expect(existsSync(join(out, "src/gone.ts"))).toBe(false);
  });
});

describe("the worker wrangler builds from the mirror", () => {
  it("starts in workerd and answers from its bundled catalog", { timeout: 120_000 }, async () => {
    const outdir = mkdtempSync(join(tmpdir(), "eager-bundle-"));
    const build = spawnSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
      encoding: "utf8",
      timeout: 100_000,
    });
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toContain("functions compiled eagerly");
    const bundle = readFileSync(join(outdir, "index.js"), "utf8");
    // The parentheses survive minification: what makes V8 compile these functions at startup.
    expect(bundle.match(/=\(function/g)?.length ?? 0).toBeGreaterThan(300);

    const mf = new Miniflare({
      modules: true,
      scriptPath: join(outdir, "index.js"),
      modulesRoot: outdir,
      compatibilityDate: /^compatibility_date = "(.*)"$/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))![1],
      kvNamespaces: ["CATALOG"],
    });
    try {
      const health = await mf.dispatchFetch("http://localhost/health");
      expect(health.status).toBe(200);
      expect(((await health.json()) as { catalog: { source: string } }).catalog.source).toBe("snapshot");
      const diff = await mf.dispatchFetch("http://localhost/diff", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ scopes: ["read:board-scope:jira-software"], endpoints: ["GET /rest/agile/1.0/board"] }),
      });
      expect(diff.status).toBe(200);
      const answer = (await diff.json()) as { results: { missing: string[] }[] };
      expect(answer.results[0]!.missing).toEqual(["read:project:jira"]);
      // Every module a route loads runs its rewritten top level: a function read before its `const`
      // would throw there (a 500), whichever route loads it first.
      const post = (body: unknown) => ({
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify(body),
      });
      const answers = await Promise.all([
        mf.dispatchFetch("http://localhost/"),
        mf.dispatchFetch("http://localhost/openapi.json"),
        mf.dispatchFetch("http://localhost/scopes?path=/rest/api/3/issue/ABC-1&format=text"),
        mf.dispatchFetch("http://localhost/endpoints?scope=read:jira-wrok"),
        mf.dispatchFetch("http://localhost/changes.atom"),
        mf.dispatchFetch("http://localhost/plan", post({ endpoints: ["GET /rest/agile/1.0/board"] })),
        mf.dispatchFetch(
          "http://localhost/explain",
          post({ method: "GET", url: "https://acme.atlassian.net/rest/api/3/myself", status: 401 }),
        ),
        mf.dispatchFetch("http://localhost/mcp", post({ jsonrpc: "2.0", id: 1, method: "tools/list" })),
      ]);
      expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 404, 200, 200, 200, 200]);
    } finally {
      await mf.dispose();
    }
  });
});
