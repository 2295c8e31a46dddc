/**
 * Text answers: short lines for terminals and chat bots; `markdown.ts` marks the same lines up. Every
 * answer goes out through `textLines`, so no value can forge a line of its own.
 */
import type { ChangesAnswer } from "../answers/changes";
import { tokenAnswers, type DiffAnswer } from "../answers/diff";
import { changeLine } from "../catalog/changes-query";
import { deprecatedScopeText } from "../catalog/diff";
import { quotedPath } from "../catalog/request-path";
import type { ExplainAnswer } from "../answers/explain";
import type { LookupAnswer } from "../answers/lookup";
import type { PlanAnswer } from "../answers/plan";
import { planInputKey, replacedInputs, unmatchedStatus } from "../answers/plan-inputs";
import type { ReverseAnswer } from "../answers/reverse";
import { textLines } from "./escape";

/**
 * An error's suggestions less those its message already names ("Did you mean read:jira-work?"), so a
 * surface listing them after the message does not ask twice; `asked` says the message named one.
 */
export function suggestionsBeyond(message: string, suggestions: readonly string[]): { rest: string[]; asked: boolean } {
  const named = (item: string) => {
    for (let at = message.indexOf(item); at >= 0; at = message.indexOf(item, at + 1)) {
      // A whole name: `repository` is not named by `repository:write`.
      const before = message[at - 1];
      const after = message[at + item.length];
      if ((before === undefined || !NAME_CHAR.test(before)) && (after === undefined || !NAME_CHAR.test(after)))
        return true;
    }
    return false;
  };
  // An empty suggestion (a remote instance's) names nothing, and indexOf would find it at every position.
  const given = suggestions.filter((item) => item !== "");
  const rest = given.filter((item) => !named(item));
  return { rest, asked: rest.length < given.length };
}
/** Characters inside a scope name or path: a name next to one of these is part of a longer one. */
const NAME_CHAR = /[\w:./{}-]/;

/** The nearest templates a path that matched none got (`details.suggestions`), as one line, or none. */
function nearestLines(details: unknown, indent: string): string[] {
  const suggestions = (details as { suggestions?: unknown } | undefined)?.suggestions;
  if (!Array.isArray(suggestions) || suggestions.length === 0) return [];
  return [`${indent}nearest: ${suggestions.map(String).join(", ")}`];
}

/** `read:a + read:b` for one set; `(none published)` for none. */
function scopeSetText(scopes: readonly string[]): string {
  return scopes.length > 0 ? scopes.join(" + ") : "(none published)";
}

/**
 * After an endpoint the documents list though its removal took effect (`removal`): `  REMOVED since
 * <date> (410)`, or `  REMOVAL due since <date> (410 expected)` where no 410 was seen; after one only
 * marked deprecated (where asked), `  (deprecated)`; else nothing.
 */
function lifecycleMarker(removal: { effective: string; seenGone: boolean } | undefined, deprecated?: boolean): string {
  // A removal says more than a deprecation: one marker, not both.
  if (!removal) return deprecated ? "  (deprecated)" : "";
  return removal.seenGone
    ? `  REMOVED since ${removal.effective} (410)`
    : `  REMOVAL due since ${removal.effective} (410 expected)`;
}

/** A text answer's paging line (`more: add &cursor=…` or `more: send "cursor": "…"`): its indent and cursor. */
const PAGING_LINE = /^( *)more: (?:add &cursor=|send "cursor": ")([A-Za-z0-9_-]+)"?$/;

/**
 * The text with its paging lines saying how this surface asks for the next page (the CLI's `--cursor`,
 * Slack's `cursor=`), where the API's words (a query parameter, a body field) would not apply.
 */
export function withPagingHint(text: string, hint: (cursor: string) => string): string {
  return text
    .split("\n")
    .map((line) => {
      const paging = PAGING_LINE.exec(line);
      return paging ? `${paging[1]}more: ${hint(paging[2]!)}` : line;
    })
    .join("\n");
}

export function lookupText(answer: LookupAnswer): string {
  const lines: string[] = [];
  if (answer.credential) lines.push(`credential: ${answer.credential.kind}`);
  for (const endpoint of answer.endpoints) {
    lines.push(
      `${endpoint.method} ${endpoint.path}  [${endpoint.product}]${endpoint.summary ? ` ${endpoint.summary}` : ""}`,
    );
    if (endpoint.removal) lines.push(`  removal: ${endpoint.removal.message}`);
    if (endpoint.unusable) lines.push(`  cannot: ${endpoint.unusable}`);
    if (endpoint.needsNoScope) lines.push(`  needs: no scope (${endpoint.needsNoScope})`);
    else if (endpoint.alternatives.length === 0) lines.push("  needs: (no OAuth scopes published)");
    endpoint.alternatives.forEach((alternative, index) => {
      const auth = alternative.authTypes ? `, auth types ${alternative.authTypes.join(" ")}` : "";
      lines.push(
        `  ${index === 0 ? "needs:" : "   or:"} ${scopeSetText(alternative.scopes)}  (${alternative.kind}, ${alternative.state}${auth})`,
      );
      if (alternative.usable === false) lines.push(`        not for ${answer.credential?.kind}: ${alternative.why}`);
    });
    for (const note of endpoint.notes) lines.push(`  note: ${note}`);
    lines.push(`  docs: ${endpoint.docsUrl}`);
  }
  for (const note of answer.notes) lines.push(`note: ${note}`);
  lines.push(`catalog ${answer.catalog.version}`);
  return textLines(lines);
}

export function reverseText(answer: ReverseAnswer): string {
  const { scope, total, offset, endpoints } = answer;
  const lines = [
    `${scope.name} (${scope.kind === "connect" ? "Connect scope" : `${scope.kind}, ${scope.product}`})${scope.description ? `: ${scope.description}` : ""}${scope.grants ? `; it also grants ${scope.grants.join(", ")}, whose endpoints are listed too` : ""}`,
    `${count(total, "endpoint")}${endpoints.length < total ? `, showing ${offset + 1}-${offset + endpoints.length}` : ""}`,
  ];
  if (scope.deprecated)
    lines.push(`deprecated: ${deprecatedScopeText({ scope: scope.name, replacedBy: scope.replacedBy })}`);
  if (scope.outside)
    lines.push(
      `outside the catalog: a real scope (${scope.outside.source}) of ${scope.outside.api}${scope.outside.deprecated ? ", deprecated" : ""}; no endpoint of this catalog takes it${scope.outside.docsUrl ? `. Docs: ${scope.outside.docsUrl}` : ""}`,
    );
  for (const use of endpoints) {
    const needs = use.connectScope
      ? `Connect scope ${use.connectScope}`
      : use.alone
        ? "alone"
        : `with ${use.sets.map((set) => set.companions.join(" + ")).join(" | or with ")}`;
    const through = use.grantedScope ? `  via ${use.grantedScope}, which ${scope.name} grants` : "";
    lines.push(`${use.method} ${use.path}  [${use.product}]  ${needs}${through}${lifecycleMarker(use.removal)}`);
  }
  if (answer.nextCursor) lines.push(`more: add &cursor=${answer.nextCursor}`);
  lines.push(`catalog ${answer.catalog.version}`);
  return textLines(lines);
}

export function diffText(diff: DiffAnswer): string {
  const answers = tokenAnswers(diff);
  const lines: string[] = [];
  for (const answer of answers) {
    if (answers.length > 1 || answer.label || answer.id)
      lines.push(`token ${answer.label ?? answer.id ?? "(unnamed)"}: ${count(answer.scopes.length, "scope")}`);
    if (answer.credential)
      lines.push(
        `credential: ${answer.credential.kind}${answer.credential.inferred ? ` (inferred: ${answer.credential.reason})` : ""}`,
      );
    for (const warning of answer.warnings ?? []) lines.push(`warning: ${warning}`);
    for (const result of answer.results ?? []) {
      const input = quotedPath(`${result.input.method ?? ""} ${result.input.path}`.trim());
      if (result.error) {
        lines.push(
          `${result.error.code === "endpoint_removed" ? "REMOVED" : "ERROR  "} ${input}: ${result.error.message}`,
        );
        lines.push(...nearestLines(result.error.details, "        "));
        for (const replacement of result.replacements ?? []) lines.push(...checkLines(replacement, "instead: "));
        continue;
      }
      lines.push(...checkLines(result));
    }
    if (answer.callable) {
      lines.push(
        `can call ${count(answer.callable.total, "endpoint")}: ${
          Object.entries(answer.callable.byProduct)
            .map(([product, count]) => `${product} ${count}`)
            .join(", ") || "none"
        }`,
      );
      for (const endpoint of answer.callable.endpoints)
        lines.push(
          `  ${endpoint.method} ${endpoint.path}${endpoint.connectScope ? ` (Connect scope ${endpoint.connectScope})` : ""}${lifecycleMarker(endpoint.removal)}`,
        );
      if (answer.callable.nextCursor) lines.push(`  more: send "cursor": "${answer.callable.nextCursor}"`);
    }
    for (const unknown of answer.unknownScopes)
      lines.push(
        `unknown scope ${unknown.scope}${unknown.suggestions[0] ? ` (did you mean ${unknown.suggestions[0]}?)` : ""}`,
      );
    for (const outside of answer.outsideScopes ?? [])
      lines.push(
        `outside the catalog: ${outside.scope} is a real scope of ${outside.api}${outside.deprecated ? " (deprecated)" : ""}; no endpoint of this catalog takes it`,
      );
    for (const item of answer.authorizationScopes ?? []) lines.push(`not for endpoints: ${item.scope}: ${item.note}`);
    for (const deprecated of answer.deprecatedScopes ?? [])
      lines.push(`deprecated scope: ${deprecatedScopeText(deprecated)}`);
    if (answer.unusedScopes?.length) lines.push(`unused: ${answer.unusedScopes.join(" ")}`);
  }
  lines.push(`catalog ${diff.catalog.version}`);
  return textLines(lines);
}

/** One checked endpoint: OK, MISSING or UNKNOWN, then its hints; `lead` prefixes a replacement's line. */
function checkLines(
  result: {
    method?: string;
    path?: string;
    satisfied?: boolean | null;
    satisfiedBy?: { scopes: string[] } | null;
    needsNoScope?: boolean;
    missing?: string[];
    unusable?: string;
    hints?: string[];
    urlNotes?: { message: string }[];
    deprecated?: boolean;
    removal?: { effective: string; seenGone: boolean };
  },
  lead = "",
): string[] {
  const indent = lead ? "        " : "";
  // A removal is said by the first hint already: only a deprecation is marked on the line.
  const where = `${result.method} ${result.path}${result.removal ? "" : lifecycleMarker(undefined, result.deprecated)}`;
  const lines = [
    // A Connect app is satisfied by its Connect scope, not a catalog set: the hint says which.
    result.satisfied === true
      ? `${indent}${lead}OK      ${where}${result.satisfiedBy ? `  via ${scopeSetText(result.satisfiedBy.scopes)}` : result.needsNoScope ? "  needs no scope" : ""}`
      : result.unusable
        ? `${indent}${lead}CANNOT  ${where}  ${result.unusable}`
        : result.satisfied === false
          ? `${indent}${lead}MISSING ${where}  add ${scopeSetText(result.missing ?? [])}`
          : `${indent}${lead}UNKNOWN ${where}  (no OAuth scopes published)`,
  ];
  // The CANNOT line already gives why; its hint says the same.
  for (const hint of result.hints ?? []) if (hint !== result.unusable) lines.push(`${indent}        hint: ${hint}`);
  for (const note of result.urlNotes ?? []) lines.push(`${indent}        note: ${note.message}`);
  return lines;
}

export function planText(answer: PlanAnswer): string {
  const lines: string[] = [];
  // A Connect app declares its scopes in its descriptor (atlassian-connect.json), one app per product, not tokens.
  const connect = answer.credential?.kind === "connect";
  const unit = connect ? "app" : "token";
  const tokenBlock = (scopes: string[]) => [
    connect ? `  descriptor: "scopes": ${JSON.stringify(scopes)}` : `  paste: ${scopes.join(" ")}`,
    ...scopes.map((scope) => `  ${scope}`),
  ];
  if (answer.credential) lines.push(`credential: ${answer.credential.kind}`);
  if (answer.tokens) {
    const unfit = answer.unfit?.length ?? 0;
    const why =
      answer.scopes.length > answer.maxScopes
        ? `over the ${answer.maxScopes}-scope cap`
        : unit === "app"
          ? "a Connect app is for one product"
          : "no single credential holds them all";
    lines.push(
      answer.tokens.length === 0
        ? `${count(answer.scopes.length, "scope")} in all: ${why}, and no endpoint fits in a token that small.`
        : `${count(answer.scopes.length, "scope")} in all: ${why}, so ${count(answer.tokens.length, unit)}${unfit > 0 ? `; ${count(unfit, "endpoint")} ${unfit === 1 ? "fits" : "fit"} in none (left out below)` : ""}:`,
    );
    // Tokens name their endpoints as `METHOD path`: the planned entry says whether its removal took effect.
    const planned = new Map(answer.endpoints.map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint]));
    answer.tokens.forEach((token, index) => {
      lines.push(
        `${unit} ${index + 1}: ${count(token.scopes.length, "scope")} for ${count(token.endpoints.length, "endpoint")}${token.credentials.length > 0 ? `, as ${token.credentials.join(" | ")}` : ""}`,
        ...tokenBlock(token.scopes),
      );
      for (const endpoint of token.endpoints)
        lines.push(
          `    serves ${endpoint}${lifecycleMarker(planned.get(endpoint)?.removal, planned.get(endpoint)?.deprecated)}`,
        );
    });
  } else if (answer.endpoints.length === 0) {
    // Nothing matched that takes scopes: no set to paste, and saying "0 scopes, the smallest" would read as success.
    lines.push(
      answer.unusable?.length
        ? "Nothing to plan for this credential: it cannot call the endpoints below."
        : answer.unmatched.length > 0
          ? "Nothing to plan: no endpoint given matched one that takes scopes."
          : "Nothing to plan: none of the endpoints given has a published scope.",
    );
  } else {
    lines.push(
      `${count(answer.scopes.length, "scope")}${answer.optimal ? " (the smallest set)" : ""}, ${connect ? "for the app's descriptor" : `within the ${answer.maxScopes}-scope cap`}:`,
      ...tokenBlock(answer.scopes),
    );
    lines.push("for:");
    for (const endpoint of answer.endpoints)
      lines.push(
        `  ${endpoint.method} ${endpoint.path}  <- ${endpoint.chosen.scopes.join(" + ")} (${endpoint.chosen.kind})${endpoint.replaces ? `  replaces removed ${endpoint.replaces}` : ""}${lifecycleMarker(endpoint.removal, endpoint.deprecated)}`,
      );
  }
  for (const endpoint of answer.withoutScopes)
    lines.push(
      endpoint.needsNoScope
        ? `needs no scope: ${endpoint.method} ${endpoint.path} (${endpoint.needsNoScope})`
        : `no published scopes: ${endpoint.method} ${endpoint.path}`,
    );
  for (const endpoint of answer.unusable ?? [])
    lines.push(`cannot call: ${endpoint.method} ${endpoint.path}: ${endpoint.why}`);
  for (const endpoint of answer.unfit ?? [])
    lines.push(`left out: ${endpoint.method} ${endpoint.path}: ${endpoint.why}`);
  // A removed endpoint whose replacement the plan covers is planned for: `replaced`, not left out.
  const replaced = replacedInputs(answer.endpoints);
  for (const item of answer.unmatched)
    lines.push(
      `${unmatchedStatus(item, replaced)}: ${quotedPath(planInputKey(item.input))}: ${item.error.message}`,
      ...nearestLines(item.error.details, "  "),
    );
  for (const note of answer.notes) lines.push(`note: ${note}`);
  lines.push(`catalog ${answer.catalog.version}`);
  return textLines(lines);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export function explainText(answer: ExplainAnswer): string {
  const lines = answer.findings.flatMap((finding, index) => [
    `${index + 1}. [${finding.code}] ${finding.message}`,
    `   fix: ${finding.fix}`,
    ...nearestLines(finding.details, "   "),
  ]);
  if (lines.length === 0) lines.push("No finding: nothing in the catalog explains this status for this endpoint.");
  if (answer.credential)
    lines.push(
      `credential: ${answer.credential.kind}${answer.credential.inferred ? ` (inferred: ${answer.credential.reason})` : ""}`,
    );
  lines.push(`catalog ${answer.catalog.version}`);
  return textLines(lines);
}

export function changesText(answer: ChangesAnswer): string {
  const { total, offset, entries: page, nextCursor } = answer;
  const versions = answer.versions.length;
  const lines = [
    `${total} ${total === 1 ? "change" : "changes"} in ${versions} ${versions === 1 ? "version" : "versions"}${page.length < total ? `, showing ${offset + 1}-${offset + page.length}` : ""}`,
    ...page.map(changeLine),
  ];
  for (const item of answer.versions) {
    if (item.baseline.length > 0)
      lines.push(
        `${item.publishedAt.slice(0, 10)} first published: ${item.baseline.join(", ")} (everything in them is new; no changes listed)`,
      );
  }
  for (const note of answer.notes) lines.push(`note: ${note}`);
  if (nextCursor) lines.push(`more: add &cursor=${nextCursor}`);
  lines.push(`catalog ${answer.catalog.version}`);
  return textLines(lines);
}
