import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildPageScriptModule, PAGE_SCRIPT_MODULE } from "../../scripts/build-page";
import { PAGE_JS } from "../../src/page/page-script";

describe("the page's script module (src/page/page-script.ts)", () => {
  it("is what `npm run build:page` makes of src/page/client/main.ts today", async () => {
    const committed = readFileSync(PAGE_SCRIPT_MODULE, "utf8");
    // On failure: run `npm run build:page` and commit src/page/page-script.ts.
    expect(committed === (await buildPageScriptModule()), "src/page/page-script.ts is stale").toBe(true);
  });

  it("serves one self-contained script that parses, with no import left and no helper it does not define", () => {
    expect(() => new Function(PAGE_JS)).not.toThrow();
    // Whitespace-minified (scripts/build-page.ts), names kept.
    expect(PAGE_JS).toMatch(/^"use strict";\(\(\)=>\{/);
    expect(PAGE_JS).toContain("function stateQuery(");
    expect(PAGE_JS).not.toMatch(/(^|[\n;{}])\s*(import|export)[\s{*]/);
    // esbuild's keepNames helper would throw in the browser if a bundler added it.
    expect(PAGE_JS).not.toContain("__name(");
  });

  it("bundles the API's credential scanner itself, not a copy: the page refuses what the guard would", () => {
    expect(PAGE_JS).toContain("function findSecretInRequest(");
    expect(PAGE_JS).toContain("function credentialInLink(");
    expect(PAGE_JS.match(/function findSecret\(/g)).toHaveLength(1);
  });

  it("keeps the rule the CSP relies on: nodes are built with textContent, never parsed from HTML", () => {
    expect(PAGE_JS).toContain("textContent");
    expect(PAGE_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
