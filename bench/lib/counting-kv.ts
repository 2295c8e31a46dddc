/** A KV namespace in memory that counts reads (for "KV reads per lookup"). */
import type { KvLike } from "../../src/storage/catalog-store";

export class CountingKv implements KvLike {
  readonly values = new Map<string, string>();
  reads = 0;
  async get(key: string): Promise<string | null> {
    this.reads++;
    return this.values.get(key) ?? null;
  }
  async put(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
  async list(options: { prefix: string }): Promise<{ keys: { name: string }[]; list_complete: boolean }> {
    const names = [...this.values.keys()].filter((key) => key.startsWith(options.prefix)).sort();
    return { keys: names.map((name) => ({ name })), list_complete: true };
  }
}
