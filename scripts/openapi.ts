/**
 * `npm run openapi [-- file]`: writes the OpenAPI document the worker serves at /openapi.json to a
 * file (default: stdout), for linters and client generators, e.g.
 * `npm run openapi -- /tmp/spec.json && npx --yes @redocly/cli@latest lint /tmp/spec.json`.
 */
import { writeFileSync } from "node:fs";
import { openApiDocument } from "./in-process";

const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
const file = process.argv[2];
if (file) writeFileSync(file, text);
else process.stdout.write(text);
