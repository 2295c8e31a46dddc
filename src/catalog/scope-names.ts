/** What a scope's name says about it. No I/O. */
import type { ScopeKind } from "./schema";

/** Granular scopes are `action:resource[.sub]:product`; classic ones have fewer segments (read:jira-work, pullrequest:write). */
export function scopeKindOf(scope: string): ScopeKind {
  return scope.split(":").length >= 3 ? "granular" : "classic";
}
