// autocannon ships no types and @types/autocannon is not a dependency: the part bench/ uses.
declare module "autocannon" {
  export interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    total: number;
  }
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    requests?: { method?: string; path?: string; headers?: Record<string, string> }[];
  }
  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    latency: Histogram;
    requests: Histogram & { sent: number };
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}

// bench/http-worker.ts's binding: "local" keeps wrangler dev's console (bench/rows/first-request.ts, benchWorkers).
interface Env {
  BENCH_CONSOLE?: "local";
}
