/**
 * The setup first-request-gc.ts and first-request-jit.ts share: the asked request, row 6's warm-up
 * request (a POST /diff, so that the KV service has read every key), the bench worker bundled with
 * its KV seeded, and workerd line-buffered so that what V8 traces arrives as it is printed.
 */
import { join } from "node:path";
import { loadBenchCatalog } from "../lib/catalog";
import { scratchDir } from "../lib/children";
import { lineBufferedWorkerd } from "../lib/miniflare-v8-flags";
import { benchWorkers } from "../rows/first-request";
import { askedRequest } from "./asked-request";

export async function tracedProbe(asked: string, name: string, { minify = true }: { minify?: boolean } = {}) {
  const catalog = await loadBenchCatalog(() => undefined);
  const dir = scratchDir();
  const kvPersist = join(dir, `${name}-kv`);
  const worker = await benchWorkers(catalog, join(dir, `${name}-worker`), kvPersist, { minify });
  lineBufferedWorkerd(dir);
  return {
    probe: askedRequest(asked, catalog),
    warmUp: askedRequest("row6:diff", catalog),
    workers: [worker("warm"), worker("probe")],
    kvPersist,
    /** Lets workerd's last lines arrive. */
    settle: () => new Promise((resolve) => setTimeout(resolve, 300)),
  };
}
