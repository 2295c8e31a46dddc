/**
 * The KV conformance suite (test/storage/kv-conformance.ts) against the real thing: the CATALOG binding
 * in workerd, which the Node stores (memory, folder, counting) are checked to behave like.
 */
import { env } from "cloudflare:workers";
import { describeKvConformance } from "./kv-conformance";

describeKvConformance("Workers KV (env.CATALOG in workerd)", () => env.CATALOG);
