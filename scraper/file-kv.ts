/**
 * A folder of JSON files that behaves like the catalog's KV namespace, so the CLI runs the same
 * pipeline as the worker and `data/` holds exactly what KV would: key `shard/V/jira` is `DIR/shard/V/jira.json`.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { type KvLike, type KvValueType, textAs } from "../src/storage/catalog-store";

/** Numbers each put's temporary file. */
let puts = 0;

export class FileKv implements KvLike {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    if (key.split("/").some((part) => part === ".." || part === "")) throw new Error(`refusing key ${key}`);
    return join(this.dir, `${key}.json`);
  }

  get(key: string, type?: "text"): Promise<string | null>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  async get(key: string, type: KvValueType = "text"): Promise<string | ArrayBuffer | null> {
    try {
      const text = await readFile(this.file(key), "utf8");
      return textAs(text.endsWith("\n") ? text.slice(0, -1) : text, type);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  /**
   * Written beside the target and renamed, so a crash never leaves half a file; the temporary name is
   * unique per put, so two puts of one key cannot rename each other's file away. Every file ends in one
   * newline that is not part of the value (get takes it off), so a value ending in a newline survives.
   */
  async put(key: string, value: string): Promise<void> {
    const file = this.file(key);
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}-${++puts}.tmp`;
    await writeFile(temporary, `${value}\n`);
    await rename(temporary, file);
  }

  /** Removes the file and the folders it leaves empty, so data/ holds only live keys. */
  async delete(key: string): Promise<void> {
    const file = this.file(key);
    await rm(file, { force: true });
    for (let folder = dirname(file); folder.startsWith(`${this.dir}${sep}`); folder = dirname(folder)) {
      if ((await readdir(folder).catch(() => ["?"])).length > 0) break;
      await rm(folder, { recursive: true, force: true });
    }
  }

  async list(options: { prefix: string }): Promise<{ keys: { name: string }[]; list_complete: boolean }> {
    const names = (await this.keys()).filter((name) => name.startsWith(options.prefix)).sort();
    return { keys: names.map((name) => ({ name })), list_complete: true };
  }

  /** Every key in the folder. */
  async keys(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.dir, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.endsWith(".json"))
      .map((entry) =>
        entry
          .split(sep)
          .join("/")
          .replace(/\.json$/, ""),
      );
  }
}
