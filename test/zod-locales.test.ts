/**
 * The deployed bundle replaces zod's locales namespace with src/zod-locales.ts (wrangler.toml, [alias],
 * which matches an import specifier exactly). That is safe while (1) only zod imports that specifier,
 * and only to re-export the namespace, (2) zod's English messages come from their own module, and
 * (3) nothing here reads `locales`. A zod upgrade or new code that breaks one of them fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const SPECIFIER = "../locales/index.js";

function* files(dir: string, pattern: RegExp): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path, pattern);
    else if (pattern.test(entry.name)) yield path;
  }
}

describe("zod's locales left out of the bundle", () => {
  it("wrangler.toml aliases zod's import of its locales to the empty module", () => {
    const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
    expect(toml).toMatch(/^\[alias\]\n"\.\.\/locales\/index\.js" = "\.\/src\/zod-locales\.ts"$/m);
    expect(readFileSync(join(ROOT, "src/zod-locales.ts"), "utf8")).toMatch(/^export \{\};$/m);
  });

  it("only zod imports that specifier, and only to re-export the namespace", () => {
    const importers = [...files(join(ROOT, "node_modules"), /\.m?js$/)].filter((path) =>
      readFileSync(path, "utf8").includes(SPECIFIER),
    );
    expect(importers.length).toBeGreaterThan(0);
    for (const path of importers) {
      expect(path).toMatch(/[/\\]zod[/\\]v4[/\\](classic[/\\]external|core[/\\]index|mini[/\\]external)\.js$/);
      const lines = readFileSync(path, "utf8")
        .split("\n")
        .filter((line) => line.includes(SPECIFIER));
      expect(lines).toEqual([`export * as locales from "${SPECIFIER}";`]);
    }
  });

  it("zod's schemas take English from its own module", () => {
    const schemas = readFileSync(join(ROOT, "node_modules/zod/v4/classic/schemas.js"), "utf8");
    expect(schemas).toContain('import en from "../locales/en.js";');
  });

  it("no code of the worker reads zod's locales", () => {
    const readers = ["src", "scraper"].flatMap((dir) =>
      [...files(join(ROOT, dir), /\.ts$/)].filter(
        (path) => !path.endsWith("zod-locales.ts") && /\blocales\b/.test(readFileSync(path, "utf8")),
      ),
    );
    expect(readers).toEqual([]);
  });
});
