#!/usr/bin/env node
// The worker's sources as wrangler bundles them (wrangler.toml `[build]`): src/ and scraper/ mirrored
// into .build/eager/, with each top-level function declaration of src/ written as a parenthesized
// function expression, `const f = (function f(...) {...});`. V8 compiles such a function when its
// module is compiled (at startup) instead of on its first call, which a fresh isolate's first request
// otherwise pays for: 4-6 ms of a first POST /diff or /plan (docs/benchmarks.md, fourteenth pass).
// Inner functions, arrow functions and class methods are written so too (innerFunctionEdits): V8
// compiles a parenthesized function expression with the function that holds it, so what a top-level
// function or a module's top level holds is compiled at startup, and a method's with the class
// (thirtieth pass). esbuild keeps the parentheses when it minifies; the formatter would drop them in
// src/, so they are written here. Bodies and types are the source's, line for line.
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
        // The declaration's head replaced and its end closed, its body left to the inner edits below.
        edits.push({
          start: statement.getStart(source),
          end: statement.name.end,
          text: `${exported}const ${name} = (${async}function${star} ${name}`,
          rank: 0,
        });
        edits.push({ start: statement.end, end: statement.end, text: ");", rank: Number.POSITIVE_INFINITY });
      }
    }
    collect(statement, readSoFar, true);
  }
  const inner = innerFunctionEdits(source);
  // Insertions at one position go in the order listed: what opens before what it holds, and what
  // closes after it. Applied from the end, so the later of two at one position is applied first.
  let out = text;
  for (const edit of [...edits, ...inner.edits].sort((a, b) => b.start - a.start || b.rank - a.rank))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return { text: out, rewritten: edits.length / 2, kept, inner: inner.count };
}

/**
 * The edits that write every function expression and arrow function of the module (but those below)
 * as a parenthesized function expression, which V8 compiles with the function around it (at startup
 * for a top-level function or a module's top level, else when the enclosing function is first
 * compiled) instead of on its own first call: a fresh isolate compiled over a hundred such closures,
 * callbacks and middleware one at a time on a first POST /diff (docs/benchmarks.md, thirtieth pass).
 * An arrow function is written as `(function (...) { return (body); })`, so one that reads `this`,
 * `arguments`, `super` or `new.target` (anywhere within it) is left as it is; a function expression
 * only gains its parentheses. Each edit is an insertion or the replacement of `=>`, so lines stay
 * where they were.
 */
function innerFunctionEdits(source) {
  const edits = [];
  let count = 0;
  /** Insertions at one position: `rank` orders them (lower first in the text: what opens outside first, what closes inside first). */
  const insert = (at, what, rank) => edits.push({ start: at, end: at, text: what, rank });
  const visit = (node, depth) => {
    if (ts.isArrowFunction(node) && !readsOwnContext(node)) {
      count++;
      const start = node.getStart(source);
      const asyncModifier = node.modifiers?.find((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword);
      insert(start, "(", depth);
      if (asyncModifier) insert(asyncModifier.end, " function", 0);
      else insert(start, "function ", depth + 0.5);
      // `x => ...`: the parameter in parentheses.
      if (!node.getChildren(source).some((child) => child.kind === ts.SyntaxKind.OpenParenToken)) {
        const parameter = node.parameters[0];
        insert(parameter.getStart(source), "(", depth + 0.75);
        insert(parameter.end, ")", 0);
      }
      const arrow = node.equalsGreaterThanToken;
      const expression = !ts.isBlock(node.body);
      edits.push({
        start: arrow.getStart(source),
        end: arrow.end,
        text: expression ? "{ return (" : "",
        // After a parameter's `)` written where `=>` starts (`x=>`).
        rank: 1,
      });
      insert(node.end, expression ? "); })" : ")", -depth);
    } else if (ts.isClassLike(node) && !hasStaticInitializers(node)) {
      for (const member of node.members) {
        const edit = memberEdits(member, source);
        if (!edit) continue;
        count++;
        edits.push({ ...edit.head, rank: 0 });
        insert(member.end, edit.tail, -depth);
      }
    } else if (ts.isFunctionExpression(node) && !ts.isParenthesizedExpression(node.parent)) {
      count++;
      insert(node.getStart(source), "(", depth);
      insert(node.end, ")", -depth);
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(source, 0);
  return { edits, count };
}

/**
 * A class's static fields and blocks run in order with the blocks a method becomes (below), so a class
 * that has any is left as it is: one of them could call a method not yet defined.
 */
function hasStaticInitializers(node) {
  return node.members.some(
    (member) =>
      ts.isClassStaticBlockDeclaration(member) ||
      (ts.isPropertyDeclaration(member) &&
        member.initializer !== undefined &&
        member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword)),
  );
}

/**
 * A class method or accessor written as a static block that defines it, its function a parenthesized
 * expression, in place: `m(a) {...}` becomes `static { Object.defineProperty(this.prototype, "m", {
 * value: (function (a) {...}), writable: true, configurable: true }); }`, which is how a method is
 * defined (not enumerable), and `get g() {...}` an accessor's `get` the same way. V8 compiles a class's
 * methods on their first call; a function in a static block, with the class. Left as they are: the
 * constructor, private and computed names, optional and abstract methods, and any that reads `super`.
 * The function is anonymous, so that its body reads the names it read.
 */
function memberEdits(member, source) {
  const isMethod = ts.isMethodDeclaration(member);
  if (!isMethod && !ts.isGetAccessorDeclaration(member) && !ts.isSetAccessorDeclaration(member)) return undefined;
  if (!member.body || member.questionToken) return undefined;
  const name = member.name;
  let key;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) key = JSON.stringify(name.text);
  else return undefined;
  const modifiers = member.modifiers?.map((modifier) => modifier.kind) ?? [];
  if (modifiers.includes(ts.SyntaxKind.AbstractKeyword) || modifiers.includes(ts.SyntaxKind.DeclareKeyword))
    return undefined;
  if (member.modifiers?.some((modifier) => ts.isDecorator(modifier))) return undefined;
  if (readsSuper(member)) return undefined;
  const target = modifiers.includes(ts.SyntaxKind.StaticKeyword) ? "this" : "this.prototype";
  const async = modifiers.includes(ts.SyntaxKind.AsyncKeyword) ? "async " : "";
  const star = isMethod && member.asteriskToken ? "*" : "";
  const field = isMethod ? "value" : ts.isGetAccessorDeclaration(member) ? "get" : "set";
  const rest = isMethod ? ", writable: true, configurable: true" : ", configurable: true";
  return {
    head: {
      start: member.getStart(source),
      end: name.end,
      text: `static { Object.defineProperty(${target}, ${key}, { ${field}: (${async}function${star} `,
    },
    tail: `)${rest} }); }`,
  };
}

function readsSuper(node) {
  let reads = false;
  const look = (child) => {
    if (reads) return;
    if (child.kind === ts.SyntaxKind.SuperKeyword) reads = true;
    else ts.forEachChild(child, look);
  };
  ts.forEachChild(node, look);
  return reads;
}

/** Whether `node` reads `this`, `arguments`, `super` or `new.target` anywhere within it (nested functions too). */
function readsOwnContext(node) {
  let reads = false;
  const look = (child) => {
    if (reads) return;
    if (
      child.kind === ts.SyntaxKind.ThisKeyword ||
      child.kind === ts.SyntaxKind.SuperKeyword ||
      ts.isMetaProperty(child) ||
      (ts.isIdentifier(child) && child.text === "arguments")
    )
      reads = true;
    else ts.forEachChild(child, look);
  };
  ts.forEachChild(node, look);
  return reads;
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
  let inner = 0;
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    const eager = rewritten(file) ? compileEagerly(text, file) : { text, rewritten: 0 };
    functions += eager.rewritten;
    inner += eager.inner ?? 0;
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
  return { files: files.length, functions, inner };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, functions, inner } = writeEagerSources();
  console.log(
    `eager-sources: ${files} files in ${relative(root, EAGER_ROOT)}, ${functions} functions compiled eagerly (and ${inner} inner functions and methods)`,
  );
}
