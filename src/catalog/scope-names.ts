/** What a scope's name says about it. No I/O. */
import type { ScopeKind } from "./schema";

/** Granular scopes are `action:resource[.sub]:product`; classic ones have fewer segments (read:jira-work, pullrequest:write). */
export function scopeKindOf(scope: string): ScopeKind {
  // Two colons or more (what `split(":").length >= 3` says), without building the pieces.
  const first = scope.indexOf(":");
  return first >= 0 && scope.indexOf(":", first + 1) >= 0 ? "granular" : "classic";
}
