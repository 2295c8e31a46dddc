#!/usr/bin/env node
// The worker's sources as wrangler bundles them (wrangler.toml `[build]`): src/ and scraper/ mirrored
// into .build/eager/, with each top-level function declaration of src/ written as a parenthesized
// function expression, `const f = (function f(...) {...});`. V8 compiles such a function when its
// module is compiled (at startup) instead of on its first call, which a fresh isolate's first request
// otherwise pays for: 4-6 ms of a first POST /diff or /plan (docs/benchmarks.md, fourteenth pass).
// esbuild keeps the parentheses when it minifies; the formatter would drop them in src/, so they are
// written here. Nothing else changes: names, bodies and types are the source's.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(fileURLToPath(import.meta.url), "../..");
/** Where wrangler.toml's `main` points: `.build/eager/src/index.ts`. */
export const EAGER_ROOT = join(root, ".build", "eager");

/** src/ files the worker does not run (the page's browser script, the CLI) are copied as they are. */
const rewritten = (file) =>
  file.startsWith("src/") &&
  file.endsWith(".ts") &&
  !file.endsWith(".d.ts") &&
  !file.startsWith("src/page/client/") &&
  !file.startsWith("src/cli/");

/**
 * `text` with its top-level function declarations as parenthesized function expressions. Left as they
 * are: overloads, default exports, and a function that the module's top level calls before its
 * declaration, directly or through the module's other functions (a `const` is not hoisted, so that
 * call would throw).
 */
export function compileEagerly(text, fileName = "module.ts") {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const statements = source.statements;
  const functions = new Map(); // name -> its declarations
  for (const statement of statements)
    if (ts.isFunctionDeclaration(statement) && statement.name)
      functions.set(statement.name.text, [...(functions.get(statement.name.text) ?? []), statement]);
  // What each function names, and so may call, of the module's functions, transitively.
  const named = new Map();
  for (const [name, declarations] of functions) {
    const names = new Set();
    for (const declaration of declarations) collect(declaration.body, names, false);
    named.set(name, names);
  }
  const reached = (names) => {
    const all = new Set();
    const pending = [...names];
    while (pending.length > 0) {
      const name = pending.pop();
      if (all.has(name)) continue;
      all.add(name);
      for (const next of named.get(name) ?? []) if (functions.has(next)) pending.push(next);
    }
    return all;
  };
  const edits = [];
  const readSoFar = new Set();
  let kept = 0;
  for (const statement of statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
      const name = statement.name.text;
      const modifiers = statement.modifiers?.map((modifier) => modifier.kind) ?? [];
      if (
        functions.get(name).length > 1 ||
        modifiers.includes(ts.SyntaxKind.DefaultKeyword) ||
        reached(readSoFar).has(name)
      )
        kept++;
      else {
        const exported = modifiers.includes(ts.SyntaxKind.ExportKeyword) ? "export " : "";
        const async = modifiers.includes(ts.SyntaxKind.AsyncKeyword) ? "async " : "";
        const star = statement.asteriskToken ? "*" : "";
        const rest = text.slice(statement.name.end, statement.end);
        edits.push({
          start: statement.getStart(source),
          end: statement.end,
          text: `${exported}const ${name} = (${async}function${star} ${name}${rest});`,
        });
      }
    }
    collect(statement, readSoFar, true);
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return { text: out, rewritten: edits.length, kept };
}

/**
 * Adds to `names` the identifiers `node` reads. With `now`, only those read when `node` runs: not in
 * a function's body unless the function is called there and then, nor in a class's methods or
 * instance fields (its static fields and blocks, computed names and `extends` run with it).
 */
function collect(node, names, now) {
  if (!node) return;
  if (now) {
    if (ts.isCallExpression(node)) {
      const callee = ts.skipParentheses(node.expression);
      if (ts.isFunctionExpression(callee) || ts.isArrowFunction(callee)) collect(callee.body, names, true);
    }
    if (ts.isFunctionLike(node)) return;
    if (
      ts.isPropertyDeclaration(node) &&
      !node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword)
    )
      return;
  }
  if (ts.isIdentifier(node)) names.add(node.text);
  ts.forEachChild(node, (child) => collect(child, names, now));
}

/** The files below `base/directory`, as paths from `base`. */
function filesUnder(base, directory) {
  const found = [];
  for (const entry of readdirSync(join(base, directory), { withFileTypes: true })) {
    const path = `${directory}/${entry.name}`;
    if (entry.isDirectory()) found.push(...filesUnder(base, path));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** Writes the mirror; a file is written only when its text changed, so wrangler dev rebuilds only then. */
export function writeEagerSources(out = EAGER_ROOT) {
  // scraper/ is copied, not linked: its imports of ../src must reach the mirrored modules, not a second copy.
  const files = [...filesUnder(root, "src"), ...filesUnder(root, "scraper"), "bench/http-worker.ts"];
  const wanted = new Set(files);
  let functions = 0;
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    const eager = rewritten(file) ? compileEagerly(text, file) : { text, rewritten: 0 };
    functions += eager.rewritten;
    const target = join(out, file);
    if (existsSync(target) && readFileSync(target, "utf8") === eager.text) continue;
    mkdirSync(dirname(target), { recursive: true });
    // Renamed into place: a bundler reading the mirror meanwhile (wrangler dev, a test) sees whole files.
    writeFileSync(`${target}.tmp`, eager.text);
    renameSync(`${target}.tmp`, target);
  }
  for (const directory of ["src", "scraper", "bench"])
    if (existsSync(join(out, directory)))
      for (const file of filesUnder(out, directory)) if (!wanted.has(file)) rmSync(join(out, file));
  // The bundled catalog (data/snapshot.ts and its JSON) is read where it is.
  const data = join(out, "data");
  if (!existsSync(data) || !lstatSync(data).isSymbolicLink()) {
    rmSync(data, { recursive: true, force: true });
    symlinkSync(relative(out, join(root, "data")), data, "dir");
  }
  return { files: files.length, functions };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, functions } = writeEagerSources();
  console.log(
    `eager-sources: ${files} files in ${relative(root, EAGER_ROOT)}, ${functions} functions compiled eagerly`,
  );
}
