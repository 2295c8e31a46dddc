/**
 * Child processes for the measurements that need a fresh V8 (cold start) or a clean heap (peak heap).
 * Each child script is bundled with esbuild (the copy wrangler and tsx already bring) and run with
 * plain node: no TypeScript loader thread, no loader heap in the figures, like the bundle a worker runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { ROOT } from "./catalog";

let dir: string | undefined;
const built = new Map<string, string>();

export function scratchDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), "scope-bench-"));
  return dir;
}

export function removeScratch(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  built.clear();
}

/** bench/children/<name>.ts bundled to one .mjs file. */
export async function bundleChild(name: string): Promise<string> {
  const cached = built.get(name);
  if (cached) return cached;
  const outfile = join(scratchDir(), `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, "bench", "children", `${name}.ts`)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // As wrangler.toml builds the deployed worker: minified, without keep_names' helpers.
    minify: true,
    keepNames: false,
    logLevel: "error",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  built.set(name, outfile);
  return outfile;
}

export function runChild(
  file: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): { stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...nodeArgs, file, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`child ${file} ${args.join(" ")} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  return { stdout: result.stdout, stderr: result.stderr };
}
