#!/usr/bin/env node
// The package's bin: `npx scope-catalog`. The command line is TypeScript run through tsx (a
// devDependency, present after `npm install` in a clone), so it is the worker's own answer code.
import { register } from "tsx/esm/api";

register();
const { main, processIo } = await import(new URL("../src/cli/main.ts", import.meta.url).href);
process.exitCode = await main(process.argv.slice(2), processIo());
