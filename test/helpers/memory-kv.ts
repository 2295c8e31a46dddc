/** An in-memory KV namespace for Node tests, with fault injection for the failure paths. */
import { type KvLike, type KvValueType, textAs } from "../../src/storage/catalog-store";

export class MemoryKv implements KvLike {
  readonly values = new Map<string, string>();
  /** Every key read, in order. */
  readonly reads: string[] = [];
  readonly writes: string[] = [];
  /** The `expirationTtl` (seconds) of each key's last put, when one was given. */
  readonly ttls = new Map<string, number>();
  /** Throw on the put of a key for which this returns true (a KV outage halfway through publishing). */
  failPut: (key: string) => boolean = () => false;

  get(key: string, type?: "text"): Promise<string | null>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  async get(key: string, type: KvValueType = "text"): Promise<string | ArrayBuffer | null> {
    this.reads.push(key);
    return textAs(this.values.get(key) ?? null, type);
  }

  async put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void> {
    if (this.failPut(key)) throw new Error(`KV put failed for ${key} (injected)`);
    this.writes.push(key);
    this.values.set(key, value);
    if (options?.expirationTtl === undefined) this.ttls.delete(key);
    else this.ttls.set(key, options.expirationTtl);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async list(options: { prefix: string }): Promise<{ keys: { name: string }[]; list_complete: boolean }> {
    const names = [...this.values.keys()].filter((key) => key.startsWith(options.prefix)).sort();
    return { keys: names.map((name) => ({ name })), list_complete: true };
  }

  /** Everything stored, for comparing before and after a failed run. */
  snapshot(): Map<string, string> {
    return new Map(this.values);
  }
}
