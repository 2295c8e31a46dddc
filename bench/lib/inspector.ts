/**
 * A minimal client of workerd's V8 inspector (the DevTools protocol) for the benchmarks: list the
 * targets (each worker of a Miniflare `workers` array is its own, `core:user:<name>`), open a session
 * to one, send commands. The WebSocket is Miniflare's own `fetch` with an Upgrade header, so no
 * dependency is added. Every wait has a timeout: a hung inspector fails the measurement, never the run.
 */
import { fetch as miniflareFetch, type Miniflare } from "miniflare";

/** What a V8 CPU profile (Profiler.stop) holds, the part the benchmarks read. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface InspectorSession {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  close(): void;
}

/** `promise`, or a rejection naming `what` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The inspector's target ids (`core:user:<name>` for a worker named <name>) and their WebSocket URLs. */
export async function inspectorTargets(mf: Miniflare, timeoutMs: number): Promise<Map<string, string>> {
  const url = await withTimeout(mf.getInspectorURL(), timeoutMs, "Miniflare's inspector URL");
  const response = await fetch(`http://${url.host}/json`, { signal: AbortSignal.timeout(timeoutMs) });
  const list = (await response.json()) as { id: string; webSocketDebuggerUrl: string }[];
  return new Map(list.map((target) => [target.id, target.webSocketDebuggerUrl]));
}

export async function openSession(webSocketUrl: string, timeoutMs: number): Promise<InspectorSession> {
  const response = await withTimeout(
    miniflareFetch(webSocketUrl.replace(/^ws:/, "http:"), { headers: { Upgrade: "websocket" } }),
    timeoutMs,
    `opening ${webSocketUrl}`,
  );
  const socket = response.webSocket;
  if (!socket) throw new Error(`${webSocketUrl} answered ${response.status} without a WebSocket`);
  socket.accept();
  let nextId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    // workerd answers a command that has no result (Profiler.enable, .start) with the command
    // itself (id, method, params): any message with the command's id settles it.
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  socket.addEventListener("close", () => {
    for (const waiter of pending.values()) waiter.reject(new Error("the inspector closed the session"));
    pending.clear();
  });
  return {
    send: <T>(method: string, params?: Record<string, unknown>) => {
      const id = ++nextId;
      const answer = new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      });
      socket.send(JSON.stringify({ id, method, params: params ?? {} }));
      return withTimeout(answer, timeoutMs, method).finally(() => pending.delete(id));
    },
    close: () => socket.close(),
  };
}
