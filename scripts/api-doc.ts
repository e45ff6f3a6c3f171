/**
 * `npm run docs:api`: writes docs/API.md (and docs/api.schema.json) from the code: every callable of
 * `callableContract` (functions/src/contract.ts) with its request and response as JSON Schema (zod's
 * `z.toJSONSchema`) and the error codes it may answer, every HTTP endpoint and background function of
 * functions/src/entries/, and the Firestore paths a client may read (firestore.rules × the paths the
 * functions write). test/unit/apiDoc.test.ts fails when the committed files differ from what this writes.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { z } from "zod";
import { callableContract } from "../functions/src/contract";
import * as exported from "../functions/src/index";
import { reachableErrorCodes } from "../tools/analysis/errorCodes";
import { findDocumentPaths, findWrites, ownedUnit } from "../tools/analysis/firestoreWrites";
import { functionsSrc, parseSource, sourceFiles } from "../tools/analysis/sourceFiles";

const root = join(__dirname, "..");
export const API_DOC_PATH = join(root, "docs", "API.md");
export const API_SCHEMA_PATH = join(root, "docs", "api.schema.json");

/** What every callable may answer, whatever it does (`defineCallable`). */
const COMMON_CODES: Record<string, string> = {
  unauthenticated: "no Firebase Auth user (or an App Check token missing when enforced)",
  "invalid-argument": "the payload fails validation; the message names the field",
  internal: "an unexpected failure; nothing about it is sent",
};
const CODE_MEANING: Record<string, string> = {
  ...COMMON_CODES,
  "not-found": "the show, season, episode, movie or item does not exist (on TMDB or for this user)",
  "already-exists": "the same thing was already done (e.g. a repeated scrobble within its runtime)",
  "failed-precondition": "the request would break a limit or a state rule (e.g. the 1 MiB document limit)",
  "resource-exhausted": "a per-user or TMDB rate limit was hit",
  unavailable: "TMDB is down or timing out; nothing was written",
  "permission-denied": "the caller may not act on that item",
};

type Kind = "callable" | "http" | "task queue" | "schedule" | "auth user deleted";
const HELPER_KIND: Record<string, Kind> = {
  defineCallable: "callable",
  defineHttpEndpoint: "http",
  defineTaskQueue: "task queue",
  defineSchedule: "schedule",
  defineUserDeletedTrigger: "auth user deleted",
};

/** An entry module's trigger kind and the doc comment of its default export. */
function describeEntry(name: string): { kind: Kind | "other"; about: string } {
  const source = parseSource(`entries/${name}.ts`);
  const statement = source.statements.find(ts.isExportAssignment);
  if (!statement) return { kind: "other", about: "" };
  const call = statement.expression;
  const helper = ts.isCallExpression(call) ? call.expression.getText(source) : "";
  const docs = ts
    .getLeadingCommentRanges(source.text, statement.getFullStart())
    ?.map((range) => source.text.slice(range.pos, range.end))
    .filter((text) => text.startsWith("/**"));
  const about = (docs ?? [])
    .join("\n")
    .replace(/^\/\*\*|\*\/$/g, "")
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, "").trim())
    .filter(Boolean)
    .join(" ");
  return { kind: HELPER_KIND[helper] ?? "other", about };
}

const schemaOf = (schema: z.ZodType, io: "input" | "output") => z.toJSONSchema(schema, { io, unrepresentable: "any" });
const fenced = (value: unknown) => ["```json", JSON.stringify(value, null, 2), "```"].join("\n");
const anchor = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");

/** Read rules of firestore.rules: `match` paths (under `/databases/{database}/documents`) whose `allow read` is not `false`. */
function readRules(): Array<{ match: string; condition: string }> {
  const rules: Array<{ match: string; condition: string }> = [];
  const stack: string[] = [];
  for (const line of readFileSync(join(root, "firestore.rules"), "utf8").split("\n")) {
    const match = /^\s*match\s+(\S+)\s*\{/.exec(line);
    if (match) stack.push(match[1]);
    const allow = /^\s*allow\s+([a-z, ]+):\s*if\s+(.+);/.exec(line);
    if (allow && /\b(read|get|list)\b/.test(allow[1]) && allow[2].trim() !== "false")
      rules.push({ match: stack[stack.length - 1].replace(/^\/databases\/\{database\}\/documents/, ""), condition: allow[2].trim() });
    if (/^\s*\}\s*$/.test(line) && !match) stack.pop();
  }
  return rules;
}

/** Does a rule's `match` (with `{x}` and `{x=**}` wildcards) cover a written path (`users/{id}/devices/{id}`)? */
function covers(match: string, path: string): boolean {
  const pattern = match
    .replace(/^\//, "")
    .split("/")
    .map((segment) =>
      /^\{[^}]*=\*\*\}$/.test(segment) ? ".+" : /^\{[^}]*\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${pattern}$`).test(path);
}

export function renderApiDoc(): { markdown: string; schemas: string } {
  const names = Object.keys(callableContract).sort() as Array<keyof typeof callableContract>;
  const entries = Object.keys(exported).sort();
  const described = new Map(entries.map((name) => [name, describeEntry(name)]));
  const schemas: Record<string, { request: unknown; response: unknown; errors: string[] }> = {};
  const out: string[] = [
    "# API reference",
    "",
    "<!-- Generated by `npm run docs:api` (scripts/api-doc.ts) from functions/src/contract.ts, functions/src/entries/ and",
    "firestore.rules. Do not edit: test/unit/apiDoc.test.ts fails when this file is out of date. -->",
    "",
    "- [Callables](#callables): request, response and error codes of each, as JSON Schema (also in `docs/api.schema.json`)",
    "- [HTTP endpoints](#http-endpoints)",
    "- [Background functions](#background-functions)",
    "- [Firestore paths clients may read](#firestore-paths-clients-may-read)",
    "",
    "## Callables",
    "",
    "Every callable is an `onCall` function (firebase-functions v2) in region `us-central1` and requires Firebase Auth:",
    "the uid comes from `request.auth` only, never from the payload. Payloads are validated with the zod schemas of",
    "`functions/src/contract.ts` (the client SDK, `client/`, is typed from the same schemas). Timestamps in payloads",
    "and responses are ISO-8601 strings. Errors are `HttpsError`s with these codes:",
    "",
    "| code | when |",
    "| --- | --- |",
    ...Object.entries(CODE_MEANING).map(([code, when]) => `| \`${code}\` | ${when} |`),
    "",
    "Each callable lists the codes it may answer: the three every callable may, `resource-exhausted` when it has a",
    "per-user rate limit, and the codes of the modules its code reaches.",
    "",
    "| callable | rate limit | errors |",
    "| --- | --- | --- |",
  ];
  const sections: string[] = [];
  for (const name of names) {
    const { request, response } = callableContract[name];
    const meta = (exported as Record<string, { rateLimit?: unknown } | undefined>)[name];
    const rateLimit = meta?.rateLimit === undefined ? null : typeof meta.rateLimit === "string" ? meta.rateLimit : "custom";
    const reached = entries.includes(name) ? reachableErrorCodes(`entries/${name}.ts`) : [];
    const errors = [...new Set([...Object.keys(COMMON_CODES), ...(rateLimit ? ["resource-exhausted"] : []), ...reached])].sort();
    schemas[name] = { request: schemaOf(request, "input"), response: schemaOf(response, "output"), errors };
    out.push(`| [\`${name}\`](#${anchor(name)}) | ${rateLimit ?? "—"} | ${errors.map((code) => `\`${code}\``).join(", ")} |`);
    const about = described.get(name)?.about;
    sections.push(
      `### ${name}`,
      "",
      ...(about ? [about, ""] : []),
      `Errors: ${errors.map((code) => `\`${code}\``).join(", ")}.`,
      "",
      "Request:",
      "",
      fenced(schemas[name].request),
      "",
      "Response:",
      "",
      fenced(schemas[name].response),
      "",
    );
  }
  out.push("", ...sections);

  const byKind = (kinds: Kind[]) => entries.filter((name) => kinds.includes(described.get(name)?.kind as Kind));
  out.push(
    "## HTTP endpoints",
    "",
    "Plain HTTPS functions at `https://us-central1-<project>.cloudfunctions.net/<name>` (or `PUBLIC_FUNCTIONS_URL`); the",
    "secret URLs are handed out by the callables named below. Answers carry `Cache-Control: no-store` unless stated.",
    "",
    "| endpoint | what |",
    "| --- | --- |",
    ...byKind(["http"]).map((name) => `| \`${name}\` | ${described.get(name)?.about ?? ""} |`),
    "",
    "## Background functions",
    "",
    "Not called by clients: Cloud Tasks queues, Cloud Scheduler jobs and Auth triggers.",
    "",
    "| function | kind | what |",
    "| --- | --- | --- |",
    ...byKind(["task queue", "schedule", "auth user deleted"]).map(
      (name) => `| \`${name}\` | ${described.get(name)?.kind} | ${described.get(name)?.about ?? ""} |`,
    ),
    "",
  );

  const writes = findWrites(
    sourceFiles().map((file) => join(functionsSrc, file)),
    functionsSrc,
  );
  const paths = new Map<string, Set<string>>();
  // The cache writes through snapshots of its lock protocol, which the write analysis cannot follow: its paths are those it builds.
  const cacheFiles = sourceFiles()
    .filter((file) => file.startsWith("cache/"))
    .map((file) => join(functionsSrc, file));
  for (const path of findDocumentPaths(cacheFiles)) if (path.startsWith("tmdb_cache/")) paths.set(path, new Set(["cache"]));
  for (const write of writes) {
    if (write.path === null) continue;
    const unit = ownedUnit(write.path);
    const documentPath = unit.split("/").length % 2 === 1 ? `${unit}/{id}` : unit;
    paths.set(documentPath, (paths.get(documentPath) ?? new Set()).add(write.module));
  }
  out.push(
    "## Firestore paths clients may read",
    "",
    "Clients read (`get`, queries, `onSnapshot` listeners) and never write: every write goes through a function. The rules",
    "(`firestore.rules`) allow:",
    "",
    "| match | read if |",
    "| --- | --- |",
    ...readRules().map(({ match, condition }) => `| \`${match}\` | \`${condition}\` |`),
    "",
    "The documents the functions write there (`{id}` is any document id; `{uid}` in the rules is the first `{id}`):",
    "",
    "| document | written by |",
    "| --- | --- |",
  );
  const rules = readRules();
  for (const [path, modules] of [...paths].sort(([a], [b]) => a.localeCompare(b))) {
    const concrete = path.replace(/\{[^}]+\}/g, "x");
    if (rules.some((rule) => covers(rule.match, concrete)))
      out.push(`| \`${path}\` | \`functions/src/${[...modules].sort().join("/`, `functions/src/")}/\` |`);
  }
  out.push("");
  return { markdown: out.join("\n"), schemas: `${JSON.stringify(schemas, null, 2)}\n` };
}

if (require.main === module) {
  const { markdown, schemas } = renderApiDoc();
  mkdirSync(join(root, "docs"), { recursive: true });
  writeFileSync(API_DOC_PATH, markdown);
  writeFileSync(API_SCHEMA_PATH, schemas);
  console.log(`wrote ${API_DOC_PATH} and ${API_SCHEMA_PATH}`);
}
