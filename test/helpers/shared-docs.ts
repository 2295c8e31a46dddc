/**
 * The real Atlassian documents in ../shared/atlassian-docs, for Node tests. They are not part of the
 * project: tests that need them use `describeShared`, which skips with a message when they are absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe } from "vitest";

export const SHARED_DIR = resolve(import.meta.dirname, "../../../shared/atlassian-docs");
export const HAS_SHARED = existsSync(join(SHARED_DIR, "jira-platform.v3.json"));

if (!HAS_SHARED) console.warn(`skipping tests on the real Atlassian documents: ${SHARED_DIR} is absent`);

export const describeShared = HAS_SHARED ? describe : describe.skip;

export function readShared(file: string): string {
  return readFileSync(join(SHARED_DIR, file), "utf8");
}
