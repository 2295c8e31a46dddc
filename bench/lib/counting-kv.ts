/** A KV namespace in memory that counts reads (for "KV reads per lookup"). */
import { type KvLike, type KvValueType, textAs } from "../../src/storage/catalog-store";

export class CountingKv implements KvLike {
  readonly values = new Map<string, string>();
  reads = 0;
  /** Each value's UTF-8 bytes, encoded once (Workers KV hands them over without the isolate's work). */
  private readonly encoded = new Map<string, { text: string; bytes: ArrayBuffer }>();
  get(key: string, type?: "text"): Promise<string | null>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  async get(key: string, type: KvValueType = "text"): Promise<string | ArrayBuffer | null> {
    this.reads++;
    const text = this.values.get(key) ?? null;
    return text === null || type === "text" ? text : this.bytesOf(key, text);
  }

  /** Encodes every value now, so that timed reads of bytes do not include encoding them. */
  encodeAll(): void {
    for (const [key, text] of this.values) this.bytesOf(key, text);
  }

  private bytesOf(key: string, text: string): ArrayBuffer {
    let held = this.encoded.get(key);
    if (held?.text !== text)
      this.encoded.set(key, (held = { text, bytes: textAs(text, "arrayBuffer") as ArrayBuffer }));
    return held.bytes;
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
