/**
 * Links copied from a browser (a Jira issue, a Confluence page, a Bitbucket pull request) mapped to
 * the REST endpoint that does the same job, so a pasted page URL is answered with the call to make.
 * No I/O. Curated by hand; each form was checked on 2026-12-05 against:
 * - Jira issue links `https://{site}/browse/{issueKey}` (e.g. https://jira.atlassian.com/browse/CLOUD-12617) and
 *   GET /rest/api/3/issue/{issueIdOrKey}:
 *   https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
 * - Jira Software boards `https://{site}/jira/software/(c/)projects/{key}/boards/{boardId}` and
 *   GET /rest/agile/1.0/board/{boardId}:
 *   https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-boardid-get
 * - Confluence pages `https://{site}/wiki/spaces/{spaceKey}/pages/{pageId}/{title}` (a page's `_links.webui`;
 *   e.g. https://it-lab.atlassian.net/wiki/spaces/RAEC/pages/2048622593/REST+API+-+Attachments) and
 *   GET /wiki/api/v2/pages/{id}: https://developer.atlassian.com/cloud/confluence/rest/v2/api-group-page/#api-pages-id-get
 * - Confluence spaces `https://{site}/wiki/spaces/{spaceKey}(/overview)` and GET /wiki/api/v2/spaces?keys={spaceKey}:
 *   https://developer.atlassian.com/cloud/confluence/rest/v2/api-group-space/#api-spaces-get
 * - Confluence attachment links `https://{site}/wiki/download/attachments/{pageId}/{fileName}` and
 *   GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download ("Get URI to download attachment"),
 *   its attachmentId from GET /wiki/api/v2/pages/{id}/attachments?filename={fileName}:
 *   https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-content---attachments/#api-wiki-rest-api-content-id-child-attachment-attachmentid-download-get
 * - Bitbucket pages `https://bitbucket.org/{workspace}/{repo}(/pull-requests/{id}|/commits/{hash}|/src/{commit}/{path})`:
 *   the `links.html` of Bitbucket's own REST answers (e.g. https://bitbucket.org/atlassian/atlaskit-mk-2/pull-requests/5695
 *   in its OpenAPI document) and the /2.0/repositories/... endpoints: https://developer.atlassian.com/cloud/bitbucket/rest/
 */
import type { RequestPath } from "./request-path";

export interface BrowserMapping {
  /** The browser form recognised, as a template (`/browse/{issueKey}`). */
  form: string;
  /** The REST request path to call instead, with the pasted values filled in. */
  segments: string[];
  /** A browser link is a page read: GET unless the caller names another method. */
  method: "GET";
  /** What else the REST call needs, when the link does not carry it. */
  advice?: string;
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d+$/i;
const NUMERIC = /^\d+$/;
const BITBUCKET_WEB = new Set(["bitbucket.org", "www.bitbucket.org"]);

/** The REST call a browser link stands for, or undefined when the path is not one of the curated forms. */
export function browserMapping(request: RequestPath): BrowserMapping | undefined {
  const s = request.segments;
  if (request.host && BITBUCKET_WEB.has(request.host)) return bitbucketMapping(s);
  if (request.gateway || request.host === "api.bitbucket.org") return undefined;
  if (s[0] === "browse" && s.length === 2 && ISSUE_KEY.test(s[1]!))
    return { form: "/browse/{issueKey}", segments: ["rest", "api", "3", "issue", s[1]!], method: "GET" };
  if (s[0] === "jira" && s[1] === "software") {
    const at = s[2] === "c" ? 3 : 2;
    if (s[at] === "projects" && s[at + 2] === "boards" && NUMERIC.test(s[at + 3] ?? ""))
      return {
        form: "/jira/software/projects/{projectKey}/boards/{boardId}",
        segments: ["rest", "agile", "1.0", "board", s[at + 3]!],
        method: "GET",
      };
  }
  if (s[0] !== "wiki") return undefined;
  if (s[1] === "spaces" && s[2] !== undefined) {
    // `/pages/{id}/{title}` and the editor's `/pages/edit-v2/{id}`.
    const id = s[3] === "pages" ? (s[4] === "edit-v2" ? s[5] : s[4]) : undefined;
    if (id !== undefined && NUMERIC.test(id))
      return {
        form: "/wiki/spaces/{spaceKey}/pages/{pageId}/{title}",
        segments: ["wiki", "api", "v2", "pages", id],
        method: "GET",
      };
    if (s.length === 3 || (s.length === 4 && s[3] === "overview"))
      return {
        form: "/wiki/spaces/{spaceKey}",
        segments: ["wiki", "api", "v2", "spaces"],
        method: "GET",
        advice: `Ask for the space by its key: GET /wiki/api/v2/spaces?keys=${s[2]}.`,
      };
    return undefined;
  }
  if (s[1] === "download" && s[2] === "attachments" && NUMERIC.test(s[3] ?? "") && s.length >= 5) {
    const file = s.slice(4).join("/");
    return {
      form: "/wiki/download/attachments/{pageId}/{fileName}",
      segments: ["wiki", "rest", "api", "content", s[3]!, "child", "attachment", "{attachmentId}", "download"],
      method: "GET",
      advice: `Find the attachmentId with GET /wiki/api/v2/pages/${s[3]}/attachments?filename=${encodeURIComponent(file)}.`,
    };
  }
  return undefined;
}

function bitbucketMapping(s: readonly string[]): BrowserMapping | undefined {
  const [workspace, repo, kind, ...rest] = s;
  if (workspace === undefined || repo === undefined || workspace === "2.0") return undefined;
  const base = ["2.0", "repositories", workspace, repo];
  if (kind === undefined) return { form: "bitbucket.org/{workspace}/{repo}", segments: base, method: "GET" };
  if (kind === "pull-requests" && NUMERIC.test(rest[0] ?? ""))
    return {
      form: "bitbucket.org/{workspace}/{repo}/pull-requests/{id}",
      segments: [...base, "pullrequests", rest[0]!],
      method: "GET",
    };
  if ((kind === "commits" || kind === "commit") && rest[0] !== undefined)
    return {
      form: "bitbucket.org/{workspace}/{repo}/commits/{hash}",
      segments: [...base, "commit", rest[0]],
      method: "GET",
    };
  if (kind === "src" && rest[0] !== undefined)
    return {
      form: "bitbucket.org/{workspace}/{repo}/src/{commit}/{path}",
      segments: [...base, "src", ...rest],
      method: "GET",
    };
  return undefined;
}
