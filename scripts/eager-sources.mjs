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
 * are: overloads, default exports, and a function the module's top level reads before its declaration
 * (a `const` is not hoisted, so that read would throw).
 */
export function compileEagerly(text, fileName = "module.ts") {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const statements = source.statements;
  const declared = new Map();
  for (const statement of statements)
    if (ts.isFunctionDeclaration(statement) && statement.name)
      declared.set(statement.name.text, (declared.get(statement.name.text) ?? 0) + 1);
  const edits = [];
  let kept = 0;
  statements.forEach((statement, position) => {
    if (!ts.isFunctionDeclaration(statement) || !statement.name || !statement.body) return;
    const name = statement.name.text;
    const modifiers = statement.modifiers?.map((modifier) => modifier.kind) ?? [];
    if (
      declared.get(name) > 1 ||
      modifiers.includes(ts.SyntaxKind.DefaultKeyword) ||
      statements.slice(0, position).some((earlier) => readsAtTopLevel(earlier, name))
    ) {
      kept++;
      return;
    }
    const exported = modifiers.includes(ts.SyntaxKind.ExportKeyword) ? "export " : "";
    const async = modifiers.includes(ts.SyntaxKind.AsyncKeyword) ? "async " : "";
    const star = statement.asteriskToken ? "*" : "";
    edits.push({
      start: statement.getStart(source),
      end: statement.end,
      text: `${exported}const ${name} = (${async}function${star} ${name}${text.slice(statement.name.end, statement.end)});`,
    });
  });
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return { text: out, rewritten: edits.length, kept };
}

/** Whether `name` is read by code that runs when `node` does (not inside a function or class body). */
function readsAtTopLevel(node, name) {
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  if (ts.isIdentifier(node) && node.text === name) return true;
  return ts.forEachChild(node, (child) => readsAtTopLevel(child, name) || undefined) ?? false;
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
