/**
 * What first-request-gc.ts and first-request-jit.ts share: N fresh workerd processes, each run with
 * the benchmarks' V8 flags and the tool's trace flags, its output line-buffered so that what V8 traces
 * arrives as it is printed; in each, row 6's warm-up request (a POST /diff, so that the KV service has
 * read every key), then the probe isolate's requests, as the tool sends them.
 */
import { join } from "node:path";
import { loadBenchCatalog } from "../lib/catalog";
import { removeScratch, scratchDir } from "../lib/children";
import { benchV8Flags, lineBufferedWorkerd, miniflarePrinting, miniflareWithV8Flags } from "../lib/miniflare-v8-flags";
import { benchWorkers } from "../rows/first-request";
import { askedRequest } from "./asked-request";

/** One workerd process, its warm-up answered. */
export interface TracedProcess {
  /** All workerd has printed so far. */
  printed: () => string;
  /** Where the output stood when startup was over, and when the warm-up was answered. */
  startupEnd: number;
  warmedEnd: number;
  /** Sends the asked request to the probe's isolate, reads its answer, and lets workerd's last lines arrive. */
  probe: () => Promise<Response>;
}

/** Runs `measure` once per fresh workerd process, `samples` times; removes the scratch directory after. */
export async function tracedProbe(
  asked: string,
  {
    name,
    traceFlags,
    samples,
    minify = true,
  }: { name: string; traceFlags: string[]; samples: number; minify?: boolean },
  measure: (process: TracedProcess, sample: number) => Promise<void>,
): Promise<void> {
  const Miniflare = miniflareWithV8Flags([...benchV8Flags(), ...traceFlags]);
  const catalog = await loadBenchCatalog(() => undefined);
  const { path, init } = askedRequest(asked, catalog);
  const warmUp = askedRequest("row6:diff", catalog);
  const dir = scratchDir();
  const kvPersist = join(dir, `${name}-kv`);
  const worker = await benchWorkers(catalog, join(dir, `${name}-worker`), kvPersist, { minify });
  lineBufferedWorkerd(dir);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  try {
    for (let sample = 0; sample < samples; sample++) {
      const { mf, printed } = miniflarePrinting(Miniflare, { workers: [worker("warm"), worker("probe")], kvPersist });
      try {
        await mf.ready;
        await settle();
        const startupEnd = printed().length;
        await (await mf.dispatchFetch(`http://warm.bench${warmUp.path}`, warmUp.init)).text();
        await settle();
        const warmedEnd = printed().length;
        const probe = async () => {
          const response = await mf.dispatchFetch(`http://probe.bench${path}`, init);
          await response.text();
          await settle();
          return response as unknown as Response;
        };
        await measure({ printed, startupEnd, warmedEnd, probe }, sample);
      } finally {
        await mf.dispose();
      }
    }
  } finally {
    removeScratch();
  }
}
