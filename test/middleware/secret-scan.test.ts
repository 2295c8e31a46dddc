/**
 * The credential scanner on its own: every family found, Atlassian's own error texts and plain English
 * left alone, the work linear in the text on the inputs that made the old regexes quadratic, and the
 * decoding that shows the guard what the routes will read. All secrets are fake and assembled at run
 * time so that no scanner mistakes this file for a leak.
 */
import fc from "fast-check";
import { tryDecodeURIComponent } from "hono/utils/url";
import { describe, expect, it } from "vitest";
import { ATLASSIAN_ERROR_TEXTS } from "../fixtures/atlassian-errors";
import {
  decodeEscapes,
  decodeForScan,
  findSecret,
  findSecretDecoded,
  findSecretInRequest,
  type Work,
} from "../../src/middleware/secret-scan";

const ALNUM = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0";
const AT = "AT";
const SECRETS = {
  apiToken: `${AT}ATT3xFfGF0${ALNUM}=ABCDEF12`,
  appPassword: `${AT}BB${ALNUM.slice(0, 32)}`,
  accessToken: `${AT}CTT3xFfGN0${ALNUM}`,
  oauthToken: `${AT}OA${ALNUM}`,
  clientSecret: `${AT}OC${ALNUM}`,
  jwt: `ey${"J"}hbGciOiJIUzI1NiJ9.ey${"J"}zdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U`,
  // base64 of "user@example.com:ATATT3xFfGF0".
  basic: `Bas${"ic"} dXNlckBleGFtcGxlLmNvbTpBVEFUVDN4RmZHRjA=`,
  bearer: `Bea${"rer"} ${ALNUM}`,
};

describe("findSecret: every family, in any letter case where HTTP allows it", () => {
  const cases: { name: string; given: string; want: string }[] = [
    { name: "Atlassian API token", given: `token ${SECRETS.apiToken}`, want: "an Atlassian API token" },
    { name: "Bitbucket app password (ATBB)", given: SECRETS.appPassword, want: "a Bitbucket app password" },
    {
      name: "Bitbucket access token (ATCTT)",
      given: `x=${SECRETS.accessToken}`,
      want: "a Bitbucket or Atlassian access token",
    },
    { name: "OAuth token", given: SECRETS.oauthToken, want: "an Atlassian OAuth client secret or token" },
    { name: "OAuth client secret", given: SECRETS.clientSecret, want: "an Atlassian OAuth client secret or token" },
    { name: "JWT", given: `jwt=${SECRETS.jwt}`, want: "a JSON Web Token" },
    { name: "Basic", given: `Authorization: ${SECRETS.basic}`, want: "a Basic authorization header" },
    // The issue: `basic <base64>` in lower case was answered 200.
    { name: "basic in lower case", given: `basic ${SECRETS.basic.slice(6)}`, want: "a Basic authorization header" },
    { name: "BASIC in upper case", given: `BASIC ${SECRETS.basic.slice(6)}`, want: "a Basic authorization header" },
    { name: "Bearer", given: SECRETS.bearer, want: "a Bearer authorization header" },
    { name: "bearer in lower case, a JWT", given: `bearer ${SECRETS.jwt}`, want: "a JSON Web Token" },
    {
      name: "Bearer with a long token without digits",
      given: `BEARER ${"abcdefghijklmnopqrstuvwxyzABCDEF"}`,
      want: "a Bearer authorization header",
    },
    { name: "Slack token", given: `xo${"xb"}-1234567890-abcdef`, want: "a Slack token" },
    {
      name: "Slack webhook",
      given: `https://hooks.${"slack"}.com/services/T0000FAKE/B0000FAKE/abc`,
      want: "a Slack webhook URL",
    },
    { name: "GitHub token", given: `gh${"p"}_${ALNUM}`, want: "a GitHub token" },
    {
      name: "client_secret field",
      given: `{"client_secret": "${ALNUM.slice(0, 12)}"}`,
      want: "a client secret or password field",
    },
    // The issue: GET /scopes?path=https://bob:<password>@acme.atlassian.net/... answered 200, the password echoed.
    {
      name: "a password in a URL",
      given: `https://bob:${"hunter2"}secret@acme.atlassian.net/rest/api/3/myself`,
      want: "a password in a URL (user:password@)",
    },
    {
      name: "a Bitbucket x-token-auth URL",
      given: `"https://x-token-auth:${ALNUM}@api.bitbucket.org/2.0/user"`,
      want: "a password in a URL (user:password@)",
    },
    {
      name: "a password in a scheme-relative URL",
      given: `//me%40acme.com:pw${"1"}@acme.atlassian.net/`,
      want: "a password in a URL (user:password@)",
    },
    {
      name: "curl -u user:password",
      given: `curl -u bob:${"hunter2"} https://acme.atlassian.net/rest/api/3/myself`,
      want: "a curl user:password (-u)",
    },
    {
      name: "curl --user 'email:password', quoted",
      given: `curl --user 'me@acme.com:${"pw"}' https://x`,
      want: "a curl user:password (-u)",
    },
    { name: "curl -u attached", given: `curl -ubob:${"pw"} https://x`, want: "a curl user:password (-u)" },
    // Short options run together: `-su` and `-sSu` are `-s -u` (was read past, and the password echoed).
    { name: "curl -su", given: `curl -su bob:${"hunter2"} https://x`, want: "a curl user:password (-u)" },
    { name: "curl -sSu", given: `curl -sSu bob:${"hunter2"} https://x`, want: "a curl user:password (-u)" },
    {
      name: "Password= in any case",
      given: `PassWord=${ALNUM.slice(0, 8)}`,
      want: "a client secret or password field",
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(findSecret(given)).toBe(want);
  });
});

describe("findSecret: no false alarms", () => {
  const ATLASSIAN_ERRORS = [
    ...ATLASSIAN_ERROR_TEXTS,
    `{"code":401,"message":"Unauthorized; scope does not match","help":"Bearer token must include scope read:jira-work"}`,
    "OAuth 2.0 (3LO) apps use Bearer tokens; Basic authentication needs an API token.",
  ];
  // "Basic" or "Bearer" followed by ordinary words: a credential is base64 of user:password, or token-like.
  const ENGLISH = [
    "Basic authentication is deprecated",
    "BASIC AUTHENTICATIONS ARE DISABLED",
    "basic troubleshooting steps",
    "Bearer authentication required",
    "Bearer authentication is required for this resource",
    "bearer tokens expire after an hour",
    "Bearer YOUR_ACCESS_TOKEN_HERE",
    "passwords are not accepted",
    "password: see below",
    // A user without a password is an account name, and placeholders are no secrets.
    "https://bob@acme.atlassian.net/rest/api/3/myself",
    "https://x-token-auth:{access_token}@api.bitbucket.org/2.0/user",
    "https://user:<token>@acme.atlassian.net/",
    "curl -u $EMAIL:$API_TOKEN https://acme.atlassian.net/rest/api/3/myself",
    "curl -u 'email@example.com:<api_token>' https://x",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, not a template
    'curl --user "${USER}:${TOKEN}" https://x',
    "curl -u bob https://x",
    "curl --user-agent 'Mozilla/5.0 (X11; Linux x86_64:1)' https://x",
    "mail bob@example.com: read:jira-user and read:jira-work",
    "a:b@c without a scheme",
  ];
  it.each([...ATLASSIAN_ERRORS, ...ENGLISH])("%s", (given) => {
    expect(findSecret(given)).toBeUndefined();
  });
});

describe("findSecret: linear work on the issue's pathological inputs", () => {
  // Two literal prefilter scans, eight family searches, each character looked at by a check a bounded
  // number of times: the scanner's own count stays under 16 steps a character whatever the text.
  const BOUND = 16;
  const pathological = [
    // The input: the JWT pattern retried its run from every `eyJ` (32 s in Node).
    { name: '"eyJ-" × 60000 (240 KB)', given: "eyJ-".repeat(60_000) },
    { name: "a long JWT-like header then a dot", given: `${"eyJ-".repeat(30_000)}.eyJ${"a-".repeat(30_000)}` },
    { name: "JWT headers each missing a payload", given: "eyJaaaaaaaaaa.".repeat(17_000) },
    { name: "Atlassian prefixes one after another", given: `${AT}BB-`.repeat(50_000) },
    { name: "Bearer then 200000 spaces", given: `Bearer ${" ".repeat(200_000)}x` },
    { name: "bearer repeated", given: "bearer ".repeat(35_000) },
    { name: "basic with short base64 repeated", given: "Basic dXNlcm5hbWU ".repeat(14_000) },
    { name: "Basic with 200 KB of base64", given: `Basic ${"QUFB".repeat(50_000)}` },
    { name: "webhook prefixes", given: "hooks.slack.com/services/AAAA/".repeat(8_000) },
    { name: "@ repeated", given: "@".repeat(200_000) },
    { name: "userinfo runs each before an @", given: `//${"a:b".repeat(400)}@`.repeat(200) },
    { name: "a long userinfo run then @ repeated", given: `${"a:".repeat(100_000)}${"@".repeat(1000)}` },
    { name: "-u repeated", given: " -u ".repeat(50_000) },
    { name: "--user with long values", given: ` --user ${"a".repeat(2000)}`.repeat(100) },
    { name: "field names with spaces", given: `password${" ".repeat(100_000)}:${" ".repeat(100_000)}x` },
  ];
  it.each(pathological)("$name", ({ given }) => {
    const work: Work = { steps: 0 };
    findSecret(given, work);
    expect(work.steps).toBeLessThanOrEqual(BOUND * given.length);
  });

  it("an ordinary request body costs the two prefilter scans only", () => {
    const body = JSON.stringify({
      // read:jira-user holds `-u`, which starts a curl option only after a space.
      scopes: ["read:jira-user", ...Array.from({ length: 200 }, (_, index) => `read:scope-${index}:jira`)],
      path: "/rest/api/3/issue/ABC-1",
    });
    const work: Work = { steps: 0 };
    expect(findSecret(body, work)).toBeUndefined();
    expect(work.steps).toBe(2 * body.length);
  });
});

describe("decoding: the guard reads what the routes read", () => {
  const encode = (text: string) =>
    [...text].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`).join("");

  it("an invalid escape elsewhere does not hide an encoded token (the issue's bypass)", () => {
    const query = `path=/${encode(SECRETS.apiToken)}&x=%zz`;
    expect(findSecret(query)).toBeUndefined();
    expect(findSecretDecoded(query, true)).toBe("an Atlassian API token");
  });

  it("a token after an undecodable byte run is found (U+FFFD is no word character)", () => {
    expect(decodeEscapes("%E0%A4%41TAT")).toBe("\uFFFDATAT");
    expect(findSecretDecoded(`/x/%E0%A4${encode("A")}${SECRETS.apiToken.slice(1)}`, false)).toBe(
      "an Atlassian API token",
    );
  });

  it("twice-encoded tokens and + as a space in queries and forms", () => {
    expect(decodeForScan(encodeURIComponent(encodeURIComponent(SECRETS.apiToken)), false)).toBe(SECRETS.apiToken);
    expect(findSecretDecoded(`text=${SECRETS.bearer.replace(" ", "+")}`, true)).toBe("a Bearer authorization header");
  });

  it("a token split by shell quoting in a pasted curl command is found, as the line reader joins it", () => {
    // Found in review: `ATAT''T3x…` passed the guard, and shellWords joined it into the answer.
    const token = SECRETS.apiToken;
    const split = (glue: string) =>
      `curl https://acme.atlassian.net/rest/api/3/issue/${token.slice(0, 4)}${glue}${token.slice(4)}`;
    // Curly quotes, as chat apps and word processors write them, quote in the line reader too.
    for (const glue of ["''", '""', "\\", "\\\n", "\u201c\u201d", "\u2018\u2019"]) {
      expect(findSecret(split(glue)), glue).toBeUndefined();
      expect(findSecretDecoded(split(glue), false), glue).toBe("an Atlassian API token");
    }
    // In a query, encoded; and in a JSON body's string.
    expect(findSecretDecoded(`path=${encodeURIComponent(split("''"))}`, true)).toBe("an Atlassian API token");
    expect(findSecretInRequest({ body: JSON.stringify({ endpoints: [split("''")] }) })).toBe("an Atlassian API token");
    // Not a curl command: quotes are not a shell's.
    expect(findSecretDecoded(`GET /x/${token.slice(0, 4)}''${token.slice(4)}`, false)).toBeUndefined();
  });

  it("decoding is linear: one look per character a round, three rounds at most", () => {
    const text = `${"%25".repeat(50_000)}%zz${"%".repeat(50_000)}`;
    const work: Work = { steps: 0 };
    decodeForScan(text, true, work);
    expect(work.steps).toBeLessThanOrEqual(3 * text.length);
  });

  it("property: whatever Hono decodes a query parameter to, a credential in it is found in the raw query", () => {
    const secret = fc.constantFrom(...Object.values(SECRETS));
    const noise = fc.string({
      unit: fc.constantFrom("a", "/", "%", "zz", "%E0", "%A4", "+", "=", "é", "1"),
      maxLength: 8,
    });
    // Each character of the secret percent-encoded or not, once or twice, next to an invalid escape.
    const encoded = fc
      .tuple(secret, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 200, maxLength: 200 }))
      .map(([text, how]) =>
        [...text]
          .map((char, index) => {
            const once = encodeURIComponent(char) === char ? encode(char) : encodeURIComponent(char);
            return how[index] === 0 ? encodeURIComponent(char) : how[index] === 1 ? once : once.replaceAll("%", "%25");
          })
          .join(""),
      );
    fc.assert(
      fc.property(noise, encoded, noise, (before, value, after) => {
        const query = `a=${before}&path=/rest/${value}&b=${after}`;
        const param = tryDecodeURIComponent(value);
        // What the route sees (one decoding by Hono, one more by parseRequestPath) holds the secret...
        const seen = tryDecodeURIComponent(param);
        if (findSecret(seen) === undefined) return;
        // ...so the guard finds it.
        expect(findSecretDecoded(query, true)).toBeDefined();
      }),
      { seed: 20260605, numRuns: 500 },
    );
  });
});

describe("findSecretInRequest: a request's query and body as the guard reads them (and the page, before sending)", () => {
  const cases: { name: string; given: Parameters<typeof findSecretInRequest>[0]; want: string | undefined }[] = [
    { name: "nothing", given: {}, want: undefined },
    // A query means a space by `+`.
    {
      name: "query, + as a space",
      given: { query: `text=${SECRETS.bearer.replace(" ", "+")}` },
      want: "a Bearer authorization header",
    },
    // A JSON body does not: `Bearer+x` stays one word there.
    { name: "JSON body, + kept", given: { body: `{"text":"${SECRETS.bearer.replace(" ", "+")}"}` }, want: undefined },
    {
      name: "form body, + as a space",
      given: { body: `text=${SECRETS.bearer.replace(" ", "+")}`, form: true },
      want: "a Bearer authorization header",
    },
    // JSON's \n before a token hides its word start from the JSON text; its strings unescaped do not.
    {
      name: "JSON body, escaped",
      given: { body: JSON.stringify({ t: `x\n${SECRETS.appPassword}` }) },
      want: "a Bitbucket app password",
    },
    {
      name: "JSON body, \\u escape",
      given: { body: `{"t":"\\u0041${SECRETS.apiToken.slice(1)}"}` },
      want: "an Atlassian API token",
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(findSecretInRequest(given)).toBe(want);
  });
});

describe("findSecret: property against the reference patterns", () => {
  // The old patterns (Basic's decoded check and Bearer's digit rule added), run on short texts where
  // their backtracking costs nothing: the scanner must find exactly what they find, in the same order.
  const B64 = "[A-Za-z0-9+/]";
  const patterns: [string, RegExp][] = [
    ["a JSON Web Token", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./],
    [
      "a Bearer authorization header",
      /\bbearer\s+(?:[A-Za-z0-9._~+/-]{32}|(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{16})/i,
    ],
    ["a Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10}/],
    ["a Slack webhook URL", /hooks\.slack\.com\/services\/[A-Z0-9]+\/[A-Z0-9]+\/[A-Za-z0-9]/],
    ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{30}/],
    [
      "a client secret or password field",
      /\b(client_?secret|password|api_?token|access_token|refresh_token|signing_secret)["']?\s*[:=]\s*["']?[^"'\s,&}]{8}/i,
    ],
  ];
  const basic = (text: string) =>
    [...text.matchAll(new RegExp(`\\bbasic\\s+(${B64}{12,})`, "gi"))].some((match) => {
      const run = (match[1] ?? "").slice(0, 1024);
      try {
        const decoded = atob(run.slice(0, run.length - (run.length % 4)));
        const colon = decoded.indexOf(":");
        return colon >= 1 && colon < decoded.length - 1 && /^[\x20-\x7e]*$/.test(decoded.slice(0, colon));
      } catch {
        return false;
      }
    });
  const reference = (text: string): string | undefined => {
    const atlassian = /\bAT(AT|BB|CT|O[AC])[A-Za-z0-9_\-=]{20}/.exec(text);
    if (atlassian)
      return (
        {
          AT: "an Atlassian API token",
          BB: "a Bitbucket app password",
          CT: "a Bitbucket or Atlassian access token",
        }[atlassian[1] ?? ""] ?? "an Atlassian OAuth client secret or token"
      );
    for (const [kind, pattern] of patterns.slice(0, 2)) if (pattern.test(text)) return kind;
    if (basic(text)) return "a Basic authorization header";
    for (const [kind, pattern] of patterns.slice(2)) if (pattern.test(text)) return kind;
    return undefined;
  };

  const FRAGMENTS = [
    "eyJ",
    "AT",
    "ATAT",
    "ATBB",
    "ATCT",
    "ATOA",
    "T",
    "B",
    "a",
    "Z",
    "0",
    "9",
    "-",
    "_",
    "=",
    ".",
    " ",
    "\n",
    "Basic ",
    "bearer ",
    "BEARER\t",
    "dXNlcjpwYXNz",
    "QUFB",
    "xoxb-",
    "ghp_",
    "hooks.slack.com/services/",
    "T0",
    "/",
    ":",
    '"',
    "password",
    "x",
    "é",
    "abcdefgh",
    "12345678",
    "eyJhbGciOiJI",
    ".eyJzdWIi",
    "T0000/",
    "A1b2C3d4E5",
  ];
  it("finds what the reference patterns find, with the same kind, within the work bound", () => {
    const text = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (given) => {
        const work: Work = { steps: 0 };
        expect(findSecret(given, work)).toBe(reference(given));
        expect(work.steps).toBeLessThanOrEqual(16 * given.length);
      }),
      { seed: 20260605, numRuns: 5000 },
    );
  });
});
