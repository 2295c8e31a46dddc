/**
 * The contract of the 503 `catalog_unavailable` answers (see openapi-contract.workerd.test.ts for the
 * rest): KV empty and the bundled snapshot mocked away for this file only, so no catalog can be served.
 * Each catalog route's 503 is documented, JSON, valid against the Error schema and says what its example says.
 */
import { ORIGIN, get } from "../helpers/worker";
import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Contract, loadContract } from "../helpers/openapi-contract";

vi.mock("../../data/snapshot", () => ({
  SNAPSHOT_VERSION: "unavailable",
  loadSnapshot: () => Promise.reject(new Error("the bundled snapshot could not be loaded")),
}));

let contract: Contract;

beforeAll(async () => {
  contract = await loadContract(await get("/openapi.json"));
  // The cause of each 503 is logged: expected here.
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterAll(() => {
  vi.restoreAllMocks();
});

const post = (path: string, body: unknown) =>
  exports.default.fetch(
    new Request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.251" },
      body: JSON.stringify(body),
    }),
  );

describe("without any catalog, every catalog route answers its documented 503", () => {
  it.each([
    ["GET /health", () => get("/health")],
    ["GET /scopes", () => get("/scopes?path=/rest/api/3/myself")],
    ["GET /endpoints", () => get("/endpoints?scope=read:jira-user")],
    ["GET /changes", () => get("/changes")],
    ["GET /changes.atom", () => get("/changes.atom")],
    ["POST /diff", () => post("/diff", { scopes: ["read:jira-user"], path: "/rest/api/3/myself" })],
    ["POST /plan", () => post("/plan", { endpoints: ["GET /rest/api/3/myself"] })],
    ["POST /explain", () => post("/explain", { method: "GET", url: "/rest/api/3/myself", status: 401 })],
  ] as const)("%s", async (operation, send) => {
    const response = await send();
    expect(response.status).toBe(503);
    await contract.check(operation, response);
  });
});
