/**
 * Removal and deprecation notices in descriptions (scraper/parse/removal-notice.ts): the wordings of the
 * saved documents, verbatim, and the ones that must not count.
 */
import { describe, expect, it } from "vitest";
import { parseNoticeDate, readRemovalNotice } from "../../scraper/parse/removal-notice";

describe("parseNoticeDate", () => {
  const cases: { given: string; want: string | undefined }[] = [
    { given: "June 1, 2026", want: "2026-06-01" },
    { given: "Jun 1 2026", want: "2026-06-01" },
    { given: "Sept. 18, 2024", want: "2024-09-18" },
    { given: "18th of September 2024", want: "2024-09-18" },
    { given: "<b>18th of September 2024</b>", want: "2024-09-18" },
    { given: "30 September 2024", want: "2024-09-30" },
    { given: "November 2, 2026.", want: "2026-11-02" },
    { given: "2026-06-01", want: "2026-06-01" },
    // No day: Atlassian's own x-changes says 2026-10-01 for this one, but a guess is not a date.
    { given: "October 2026", want: undefined },
    // Day and month order cannot be told.
    { given: "15/07/2024", want: undefined },
    { given: "February 30, 2026", want: undefined },
    { given: "2026-13-01", want: undefined },
    { given: "Mayday 1, 2026", want: undefined },
    { given: "a later date", want: undefined },
    { given: "", want: undefined },
  ];
  for (const { given, want } of cases)
    it(`${JSON.stringify(given)} → ${want}`, () => expect(parseNoticeDate(given)).toBe(want));
});

describe("readRemovalNotice", () => {
  it("reads Jira v3's notice: the date in a link, the changelog it cites, the replacement's anchor", () => {
    expect(
      readRemovalNotice(
        "This will be removed on [June 1, 2026](https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569); use [Search workflows](#api-rest-api-3-workflows-search-get) instead.\n\nReturns a [paginated](#pagination) list.",
      ),
    ).toEqual({
      ok: true,
      notice: {
        type: "removed",
        effective: "2026-06-01",
        changelog: "CHANGE-2569",
        details: "https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569",
        replacement: { anchor: "api-rest-api-3-workflows-search-get" },
      },
    });
  });

  it("reads the anchor of a full reference-page URL (the 2026-06-10 transition property notices)", () => {
    const result = readRemovalNotice(
      "This will be removed on [June 1, 2026](https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2570); fetch transition properties from [Bulk get workflows](https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflows/#api-rest-api-3-workflows-post) instead.",
    );
    expect(result?.ok && result.notice.replacement).toEqual({ anchor: "api-rest-api-3-workflows-post" });
  });

  it("reads Assets' notice: a bold date and `POST /path`, with no changelog", () => {
    expect(
      readRemovalNotice(
        "This endpoint is deprecated and will be removed on <b>18th of September 2024</b>. Please use POST `/object/aql` instead. Find objects based on Assets Query Language (AQL)",
      ),
    ).toEqual({
      ok: true,
      notice: { type: "removed", effective: "2024-09-18", replacement: { method: "POST", pathKey: "/object/aql" } },
    });
  });

  it("reads deprecation dates as such, not as removals", () => {
    expect(readRemovalNotice("This API will be deprecated on November 1, 2026.\n\nSearch for code.")).toEqual({
      ok: true,
      notice: { type: "deprecated", effective: "2026-11-01" },
    });
    expect(
      readRemovalNotice(
        "Retrieve a list of objects based on an AQL. Deprecated from <b>30 September 2024</b>. Please use POST /object/aql instead. For more information please see https://developer.atlassian.com/changelog/#CHANGE-1661.",
      ),
    ).toEqual({
      ok: true,
      notice: {
        type: "deprecated",
        effective: "2024-09-30",
        changelog: "CHANGE-1661",
        details: "https://developer.atlassian.com/changelog/#CHANGE-1661",
        replacement: { method: "POST", pathKey: "/object/aql" },
      },
    });
  });

  it("reports a notice whose date it cannot read, with the text, instead of guessing", () => {
    expect(readRemovalNotice("**Deprecated:** This API is deprecated and will be removed in October 2026.")).toEqual({
      ok: false,
      reason: "unreadable_date",
      text: "October 2026",
    });
  });

  const none: { given: string | undefined; why: string }[] = [
    { given: undefined, why: "no description" },
    { given: "Returns the issue.", why: "no notice" },
    {
      given:
        "**Note:** The `draft` parameter in the request body WorkflowId is deprecated and will be removed from this API on [November 2, 2026](https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-3147).",
      why: "a parameter's removal: the endpoint stays",
    },
    {
      given: "**Deprecation notice:** The `onlyDefault` parameter is deprecated and will be removed at a later date.",
      why: "a parameter, and no date",
    },
    {
      given: "These system preferences keys will be deprecated by 15/07/2024.",
      why: "keys of the body, not the endpoint",
    },
    { given: "As soon as a more suitable alternative is available this resource will be deprecated.", why: "no date" },
  ];
  for (const { given, why } of none)
    it(`reads nothing: ${why}`, () => expect(readRemovalNotice(given)).toBeUndefined());
});
