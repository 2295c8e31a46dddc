/**
 * Checks real answers against the document served at /openapi.json: the status is documented for the
 * operation, the content type is one the response lists, and a JSON body is valid against the
 * documented schema (JSON Schema 2020-12, which OpenAPI 3.1 schemas are, with ajv), and an error the
 * document has an example for says what the example says. Every check is
 * recorded, so a test can say which documented responses it provoked and which it could not.
 */
import Ajv2020 from "ajv/dist/2020";
import { expect } from "vitest";

const DOCUMENT_ID = "https://scope-catalog.test/openapi.json";

/** `~` and `/` escaped for a JSON pointer (RFC 6901). */
const pointer = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");

export interface Contract {
  /** The document, as served. */
  document: any;
  /** Checks one answer of `METHOD /path`; returns its body (JSON parsed, else text). */
  check(operation: string, response: Response): Promise<unknown>;
  /** Every documented `METHOD /path STATUS media-type` (and bodiless `STATUS -`) no check has seen. */
  unchecked(): string[];
}

export async function loadContract(documentResponse: Response): Promise<Contract> {
  expect(documentResponse.status).toBe(200);
  const document = (await documentResponse.json()) as any;
  // The examples and descriptions are not JSON Schema keywords; `format` is a note (RFC 3339 dates, URIs).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(document, DOCUMENT_ID);
  const seen = new Set<string>();

  function operationOf(name: string) {
    const [method, path] = name.split(" ") as [string, string];
    const operation = document.paths[path]?.[method.toLowerCase()];
    expect(operation, `${name} is in the document`).toBeDefined();
    return { operation, method: method.toLowerCase(), path };
  }

  return {
    document,
    async check(name, response) {
      const { operation, method, path } = operationOf(name);
      const text = await response.text();
      const status = String(response.status);
      const documented = operation.responses[status];
      expect(documented, `${name} answered ${status}, which it does not document: ${text.slice(0, 300)}`).toBeDefined();
      if (text === "" && response.status !== 200) {
        seen.add(`${name} ${status} -`);
        return text;
      }
      const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
      const content = documented.content ?? {};
      expect(Object.keys(content), `${name} ${status}: its content type`).toContain(mediaType);
      seen.add(`${name} ${status} ${mediaType}`);
      if (mediaType !== "application/json") return text;
      const body = JSON.parse(text);
      const at = `#/paths/${pointer(path)}/${method}/responses/${status}/content/${pointer(mediaType)}/schema`;
      const validate = ajv.compile({ $ref: `${DOCUMENT_ID}${at}` });
      expect(validate(body) ? [] : validate.errors, `${name} ${status}: the body against ${at}`).toEqual([]);
      // An error whose code has an example: the example says what this error says (requests here match the examples').
      const example = content[mediaType].examples?.[body.error?.code]?.value?.error;
      if (example)
        expect(body.error.message, `${name} ${status} ${body.error.code}: the example's message`).toBe(example.message);
      return body;
    },
    unchecked() {
      const all: string[] = [];
      for (const [path, item] of Object.entries<any>(document.paths))
        for (const [method, operation] of Object.entries<any>(item))
          for (const [status, response] of Object.entries<any>(operation.responses)) {
            const name = `${method.toUpperCase()} ${path} ${status}`;
            const types = Object.keys(response.content ?? {});
            all.push(...(types.length === 0 ? [`${name} -`] : types.map((type) => `${name} ${type}`)));
          }
      return all.filter((entry) => !seen.has(entry));
    },
  };
}
