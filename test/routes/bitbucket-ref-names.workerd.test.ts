/**
 * Bitbucket branch and tag names hold `/` (`feature/login`), and pasted URLs often leave it raw. Matching is
 * unchanged (a raw `/` is a segment separator); on the miss, the `ref_name_slash` note gives the URL with
 * the name encoded as %2F and its template leads the suggestions. Answered from the bundled snapshot.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectError, get, getScopes, okJson, postJson, resetCatalogCache } from "../helpers/worker";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

const REPO = "https://api.bitbucket.org/2.0/repositories/ws/repo";
const TEMPLATE = "/2.0/repositories/{workspace}/{repo_slug}";

async function refNote(path: string) {
  const error = await expectError(await getScopes({ path }), 404, "endpoint_not_found");
  const notes = (error.details.urlNotes ?? []) as { code: string; message: string; url?: string }[];
  return { error, note: notes.find((note) => note.code === "ref_name_slash") };
}

describe("a raw / in a Bitbucket ref name", () => {
  const cases = [
    {
      given: `${REPO}/refs/branches/feature/login`,
      url: `${REPO}/refs/branches/feature%2Flogin`,
      template: `${TEMPLATE}/refs/branches/{name}`,
    },
    {
      given: `${REPO}/refs/tags/release/1.0`,
      url: `${REPO}/refs/tags/release%2F1.0`,
      template: `${TEMPLATE}/refs/tags/{name}`,
    },
    {
      given: `${REPO}/commits/feature/login`,
      url: `${REPO}/commits/feature%2Flogin`,
      template: `${TEMPLATE}/commits/{revision}`,
    },
    // A bare path: the url is the path.
    {
      given: "/2.0/repositories/ws/repo/refs/branches/team/a/b",
      url: "/2.0/repositories/ws/repo/refs/branches/team%2Fa%2Fb",
      template: `${TEMPLATE}/refs/branches/{name}`,
    },
  ];
  for (const { given, url, template } of cases)
    it(`${given}: a miss, with the encoded URL and its template first`, async () => {
      const { error, note } = await refNote(given);
      expect(note?.url).toBe(url);
      expect(note?.message).toContain("encoded as %2F");
      expect(note?.message).toContain("Bitbucket's REST document does not say");
      expect(error.details.suggestions[0]).toBe(template);
      // The URL the note gives is answered.
      const encoded = await okJson(await getScopes({ path: url }));
      expect(encoded.endpoints[0].path).toBe(template);
    });

  it("names what the parameter holds, as the document calls it: a branch, a tag, a ref, or a range", async () => {
    expect((await refNote(`${REPO}/refs/branches/feature/login`)).note?.message).toMatch(/^A \/ inside a branch name /);
    expect((await refNote(`${REPO}/refs/tags/release/1.0`)).note?.message).toMatch(/^A \/ inside a tag name /);
    expect((await refNote(`${REPO}/commits/feature/login`)).note?.message).toMatch(
      /^A \/ inside a branch or tag name /,
    );
  });

  it("the URL it gives is on Bitbucket's API host, whatever host the link was given on", async () => {
    for (const host of [
      "https://api.atlassian.com/ex/bitbucket/x",
      "https://bitbucket.org",
      "https://acme.atlassian.net",
    ]) {
      const { note } = await refNote(`${host}/2.0/repositories/ws/repo/refs/branches/feature/login`);
      expect(note?.url).toBe(`${REPO}/refs/branches/feature%2Flogin`);
    }
  });

  it("the encoded URL is matched as before, with no note", async () => {
    const body = await okJson(await getScopes({ path: `${REPO}/refs/branches/feature%2Flogin`, method: "GET" }));
    expect(body.endpoints.map((endpoint: { path: string }) => endpoint.path)).toEqual([
      `${TEMPLATE}/refs/branches/{name}`,
    ]);
    expect(body.urlNotes).toEqual([]);
  });

  it("other paths are matched as before: src takes the rest as its file path, one-segment names match", async () => {
    const src = await okJson(await getScopes({ path: `${REPO}/src/feature/login/README.md`, method: "GET" }));
    expect(src.endpoints[0].path).toBe(`${TEMPLATE}/src/{commit}/{path}`);
    const main = await okJson(await getScopes({ path: `${REPO}/refs/branches/main`, method: "GET" }));
    expect(main.endpoints[0].path).toBe(`${TEMPLATE}/refs/branches/{name}`);
  });

  it("a miss elsewhere gets no ref-name note (a pull request's unknown sub-resource, a Jira path)", async () => {
    expect((await refNote(`${REPO}/pullrequests/1/nothing/x`)).note).toBeUndefined();
    expect((await refNote("/rest/api/3/issue/ABC-1/nothing/x")).note).toBeUndefined();
  });

  it("/plan lists the raw-slash line as not found, with the note", async () => {
    const body = await okJson(await postJson("/plan", { endpoints: [`GET ${REPO}/refs/branches/feature/login`] }));
    expect(body.unmatched).toHaveLength(1);
    expect(JSON.stringify(body.unmatched[0].error.details.urlNotes)).toContain("ref_name_slash");
  });

  it("bounded as suggestions are: 10 misses of a request get the note, and a path longer than a ref name's gets none", async () => {
    // Each try joins and matches the path again: the work per request stays within the suggestion budget.
    const lines = Array.from({ length: 30 }, (_, at) => `GET ${REPO}/refs/branches/feature/login-${at}`);
    const body = await okJson(await postJson("/plan", { endpoints: lines }));
    expect(body.unmatched).toHaveLength(30);
    const noted = body.unmatched.filter((entry: { error: { details?: { urlNotes?: unknown } } }) =>
      JSON.stringify(entry.error.details?.urlNotes ?? []).includes("ref_name_slash"),
    );
    expect(noted).toHaveLength(10);
    const long = `${REPO}/refs/branches/${Array.from({ length: 20 }, (_, at) => `part${at}`).join("/")}`;
    expect((await refNote(long)).note).toBeUndefined();
  });
});
