/**
 * How many zod schemas the worker builds at startup, and where: imports src/index.ts in a fresh
 * process with a hook on zod's global config, whose `localeError` every classic schema reads when it
 * is constructed, and counts the constructions by the first src/ module on the stack (src/lazy.ts
 * skipped, so a lazily built schema is charged to its caller). Schemas built on first use do not count.
 *   npx tsx bench/proposals/startup-schemas.ts
 */
const counts = new Map<string, number>();
let total = 0;
let locale: unknown;
const config: Record<string, unknown> = {};
Object.defineProperty(config, "localeError", {
  enumerable: true,
  get() {
    total++;
    const frame =
      (new Error().stack ?? "").split("\n").find((line) => line.includes("/src/") && !line.includes("/src/lazy.ts")) ??
      "(zod or zod-to-openapi itself)";
    const where = frame.replace(/.*\/src\//, "src/").replace(/:\d+:\d+\)?$/, "");
    counts.set(where, (counts.get(where) ?? 0) + 1);
    return locale;
  },
  set(value) {
    locale = value;
  },
});
// zod reads its config from this global, created on its first import: set it before that.
(globalThis as Record<string, unknown>).__zod_globalConfig = config;
Error.stackTraceLimit = 50;
await import("../../src/index");
export {};
console.log(`${total} schema constructions at startup`);
for (const [where, count] of [...counts].sort((a, b) => b[1] - a[1]))
  console.log(`${String(count).padStart(5)}  ${where}`);
