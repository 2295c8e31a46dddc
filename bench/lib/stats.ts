/** Timing and statistics helpers shared by every benchmark row. No project code. */

/** mulberry32: a small deterministic PRNG, so every run benchmarks the same paths and bodies. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Fisher-Yates on a copy. */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Keeps results alive so the JIT cannot drop the work being timed. */
export let sink = 0;
export function consume(value: unknown): void {
  if (value === undefined || value === null) sink ^= 1;
  else if (typeof value === "object") sink ^= (value as { length?: number }).length ?? 2;
  else sink ^= String(value).length;
}

/**
 * Milliseconds of CPU this process has used (user + system, every thread: the main thread and V8's
 * GC helpers). On a loaded machine, wall time also counts the time other processes held the CPU;
 * CPU time does not, so in-process rows are timed with it.
 */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface Contender {
  name: string;
  /** One pass of the workload; returns how many operations it did. */
  run: () => number;
}

/**
 * Interleaved rounds: every round runs each contender once, in a rotated order, so drift on a noisy
 * machine (other processes, turbo, GC) lands on all of them alike. Returns ops/s per round.
 */
export function interleaved(
  contenders: readonly Contender[],
  options: { warmup: number; rounds: number },
): Map<string, number[]> {
  for (let i = 0; i < options.warmup; i++) for (const contender of contenders) contender.run();
  const results = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length]!;
      const start = cpuMs();
      const ops = contender.run();
      const seconds = (cpuMs() - start) / 1000;
      results.get(contender.name)!.push(ops / seconds);
    }
  }
  return results;
}

/** CPU milliseconds of one call, measured `rounds` times after `warmup` calls. */
export function timeCalls(fn: () => unknown, options: { warmup: number; rounds: number }): number[] {
  for (let i = 0; i < options.warmup; i++) consume(fn());
  const times: number[] = [];
  for (let i = 0; i < options.rounds; i++) {
    const start = cpuMs();
    consume(fn());
    times.push(cpuMs() - start);
  }
  return times;
}

/** The same for a call that only awaits settled promises (no I/O), so its CPU time is its time. */
export async function timeAsyncCalls(
  fn: () => Promise<unknown>,
  options: { warmup: number; rounds: number },
): Promise<number[]> {
  for (let i = 0; i < options.warmup; i++) consume(await fn());
  const times: number[] = [];
  for (let i = 0; i < options.rounds; i++) {
    const start = cpuMs();
    consume(await fn());
    times.push(cpuMs() - start);
  }
  return times;
}

export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
