/**
 * The worker served locally for the browser tests: `wrangler dev --local` on a free port, with local
 * KV in a temporary folder seeded from data/ as `npm start` does (scripts/seed-kv.mjs), so the
 * catalog is served from KV, offline.
 *
 * wrangler starts workerd as a child, so every process started here runs in its own process group
 * and is stopped as a group: killing only the wrangler PID would leave workerd holding the port.
 * `launchWorker` returns the handle at once, so `stop()` works even while the server is starting
 * (a hook that times out must still be able to stop it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "1" };

export interface WorkerServer {
  /** The server's origin, once `ready` has resolved. */
  readonly url: string;
  /** Resolves when the worker answers GET / with 200; rejects with wrangler's output if it does not. */
  ready: Promise<void>;
  /** The last lines wrangler printed (warnings and errors), for a failing test's report. */
  output(): string;
  /** Stops every process started here (also mid-start) and removes the temporary state. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now (an explicit busy --port is fatal to wrangler). */
async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Every data/<key>.json as a KV entry <key> (docs/storage-schema.md), written to a bulk file. */
function seedFile(state: string): string {
  const data = join(ROOT, "data");
  const entries = readdirSync(data, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".json") && !file.startsWith("lock"))
    .map((file) => ({
      key: file
        .split(/[\\/]/)
        .join("/")
        .replace(/\.json$/, ""),
      value: readFileSync(join(data, file), "utf8"),
    }));
  const bulk = join(state, "seed.json");
  writeFileSync(bulk, JSON.stringify(entries));
  return bulk;
}

export function launchWorker({ timeoutMs = 100_000 } = {}): WorkerServer {
  const state = mkdtempSync(join(tmpdir(), "scope-catalog-e2e-"));
  const children = new Set<ChildProcess>();
  let output = "";
  let stopping = false;
  let served = "";

  /** Starts a wrangler command in its own process group; resolves with its exit code. */
  const wrangler = (args: string[]): { child: ChildProcess; exit: Promise<number | null> } => {
    const child = spawn(WRANGLER, args, {
      cwd: ROOT,
      env: WRANGLER_ENV,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const exit = new Promise<number | null>((done) =>
      child.once("close", (code) => {
        children.delete(child);
        done(code);
      }),
    );
    child.once("error", (error) => {
      output += `\n${error.message}`;
    });
    return { child, exit };
  };

  const killAll = (signal: NodeJS.Signals) => {
    for (const child of children) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // that group is already gone
      }
    }
  };
  // If the test process exits without running afterAll, the servers must not outlive it.
  const onExit = () => killAll("SIGKILL");
  process.once("exit", onExit);

  const server: WorkerServer = {
    get url() {
      return served;
    },
    output: () => output,
    ready: (async () => {
      const seed = wrangler([
        "kv",
        "bulk",
        "put",
        "--local",
        "--persist-to",
        state,
        "--binding",
        "CATALOG",
        seedFile(state),
      ]);
      if ((await seed.exit) !== 0) throw new Error(`wrangler kv bulk put failed:\n${output}`);
      const port = await freePort();
      if (stopping) throw new Error("stopped while starting");
      const url = `http://127.0.0.1:${port}`;
      const dev = wrangler([
        "dev",
        "--local",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--persist-to",
        state,
        "--show-interactive-dev-session=false",
        "--log-level",
        "warn",
      ]);
      let exited = false;
      void dev.exit.then(() => {
        exited = true;
      });
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && !exited && !stopping) {
        try {
          const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(3000) });
          if (response.status === 200) {
            served = url;
            return;
          }
        } catch {
          // not listening yet
        }
        await new Promise((done) => setTimeout(done, 250));
      }
      throw new Error(
        `wrangler dev did not serve ${url} within ${timeoutMs / 1000} s${exited ? " (it exited)" : ""}. Its output:\n${output}`,
      );
    })(),
    stop: async () => {
      stopping = true;
      process.off("exit", onExit);
      const exits = [...children].map(
        (child) =>
          new Promise((done) =>
            child.exitCode !== null || child.signalCode !== null ? done(null) : child.once("close", done),
          ),
      );
      killAll("SIGTERM");
      const timer = setTimeout(() => killAll("SIGKILL"), 5000);
      await Promise.all(exits);
      clearTimeout(timer);
      await server.ready.catch(() => undefined);
      // workerd may still be writing as it exits: retry, and never fail a test run over a temp folder.
      rmSync(state, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
  return server;
}
