import { readFileSync } from "node:fs";
import { API_DOC_PATH, API_SCHEMA_PATH, renderApiDoc } from "../../scripts/api-doc";
import { callableContract } from "../../functions/src/contract";

/** docs/API.md is generated (`npm run docs:api`): regenerating it must change nothing. */
describe("the API reference (docs/API.md)", () => {
  const { markdown, schemas } = renderApiDoc();

  it("is up to date with the contract, the entries and the rules (run `npm run docs:api`)", () => {
    expect(readFileSync(API_DOC_PATH, "utf8")).toBe(markdown);
    expect(readFileSync(API_SCHEMA_PATH, "utf8")).toBe(schemas);
  });

  it("documents every callable of the contract, with its request and response schemas", () => {
    const documented = JSON.parse(schemas) as Record<string, { request: { type?: string }; response: unknown; errors: string[] }>;
    expect(Object.keys(documented).sort()).toEqual(Object.keys(callableContract).sort());
    for (const [name, entry] of Object.entries(documented)) {
      expect([name, entry.request.type]).toEqual([name, "object"]);
      expect(entry.errors).toEqual(expect.arrayContaining(["unauthenticated", "invalid-argument", "internal"]));
      expect(markdown).toContain(`### ${name}\n`);
    }
  });
});
