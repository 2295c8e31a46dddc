/**
 * What the deployed worker gets for zod's `locales` namespace (wrangler.toml, [alias]): nothing. zod
 * re-exports its ~40 locales as `z.locales` and `z.core.locales`; bundled, each is a module evaluated
 * at startup (about 4 ms of `wrangler check startup`, docs/benchmarks.md, eighth pass). Nothing here
 * reads them: zod's English messages are imported by its schemas module directly, and no code calls
 * `z.config(z.locales.xx())`. test/zod-locales.test.ts fails when either stops being true.
 */
export {};
