/** Reading explainFailure's findings in tests: their codes in order, and one finding by code. */
import { expect } from "vitest";
import type { Finding } from "../../src/catalog/explain";

export const codes = (findings: readonly Finding[]) => findings.map((finding) => finding.code);

export const find = (findings: readonly Finding[], code: string) => {
  const found = findings.find((finding) => finding.code === code);
  expect(found, `finding ${code} in ${codes(findings).join(", ")}`).toBeDefined();
  return found!;
};
