/**
 * The Firestore emulator does not enforce indexes, so a query that needs a composite index works in
 * every test and fails in production. This test finds every query the functions code makes, by reading
 * the code with the TypeScript compiler (no registry to keep in sync by hand), works out the composite
 * index each one needs, and checks that `firestore.indexes.json` declares it.
 *
 * What counts as a query: any `.where(...)` or `.orderBy(...)` call in `functions/src` (the code has no
 * other methods of those names; parsing only our own files, without library types, keeps this test at
 * about a second). Its collection is found by following the receiver back through the chain, local
 * variables and helper functions, across files (`playbackCollection(db, uid)`), to a
 * `.collection("<literal>")` or `.collectionGroup("<literal>")` call. A query the analysis cannot read
 * (a computed field name, a `Filter` object, a collection it cannot trace) fails the test: write it so
 * it can be read, rather than leave it unchecked.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { unwrap } from "../../tools/analysis/sourceFiles";

type Direction = "ASCENDING" | "DESCENDING";
type Scope = "COLLECTION" | "COLLECTION_GROUP";

interface FoundQuery {
  where: string;
  collection: string | null;
  scope: Scope;
  filters: Array<{ field: string; op: string }>;
  orders: Array<{ field: string; direction: Direction }>;
  problems: string[];
}

interface IndexField {
  fieldPath: string;
  order?: Direction;
  arrayConfig?: "CONTAINS";
}
interface IndexDef {
  collectionGroup: string;
  queryScope: Scope;
  fields: IndexField[];
}

interface FieldOverride {
  collectionGroup: string;
  fieldPath: string;
  indexes: Array<{ order?: Direction; arrayConfig?: "CONTAINS"; queryScope: Scope }>;
}
interface IndexFile {
  indexes: IndexDef[];
  fieldOverrides: FieldOverride[];
}

/**
 * What a query needs beyond Firestore's automatic indexes: a composite index, or (collection-group
 * queries) collection-group single-field indexes, which Firestore does not maintain by default.
 */
type Requirement =
  | {
      kind: "composite";
      collection: string;
      scope: Scope;
      equality: string[];
      arrayContains: string[];
      orders: Array<{ field: string; direction: Direction }>;
    }
  | { kind: "groupFields"; collection: string; fields: Array<{ field: string; mode: Direction | "ANY" | "CONTAINS" }> };

const QUERY_METHODS = new Set(["where", "orderBy"]);
/** Methods that keep a query a query without changing which index serves it. */
const PASSTHROUGH_METHODS = new Set([
  "limit",
  "limitToLast",
  "offset",
  "startAt",
  "startAfter",
  "endAt",
  "endBefore",
  "select",
  "withConverter",
]);
const EQUALITY_OPS = new Set(["==", "in"]);
const ARRAY_OPS = new Set(["array-contains", "array-contains-any"]);
const RANGE_OPS = new Set(["<", "<=", ">", ">=", "!=", "not-in"]);

// ---- finding queries in code

function declarationOf(checker: ts.TypeChecker, node: ts.Node): ts.Declaration | undefined {
  let symbol = checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
}

/** The expressions a function returns (its own returns, not those of nested functions). */
function returnedExpressions(fn: ts.SignatureDeclaration): ts.Expression[] {
  if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) return [fn.body];
  const body = (fn as ts.FunctionLikeDeclarationBase).body;
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    else if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  if (body) ts.forEachChild(body, visit);
  return found;
}

const stringLiteral = (node: ts.Expression | undefined): string | undefined =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

/** A string literal, or a `const` (in any of our files) initialized with one. */
function stringConstant(checker: ts.TypeChecker, node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  const value = unwrap(node);
  const literal = stringLiteral(value);
  if (literal !== undefined || !ts.isIdentifier(value)) return literal;
  const declaration = declarationOf(checker, value);
  return declaration && ts.isVariableDeclaration(declaration) && declaration.initializer
    ? stringLiteral(unwrap(declaration.initializer))
    : undefined;
}

/** A field argument: a string literal, `FieldPath.documentId()`, or `new FieldPath("a", "b")` of literals. */
function fieldName(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  const literal = stringLiteral(node);
  if (literal !== undefined) return literal;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "documentId")
    return "__name__";
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "FieldPath") {
    const parts = (node.arguments ?? []).map((arg) => stringLiteral(arg));
    if (parts.length > 0 && parts.every((p) => p !== undefined)) return parts.join(".");
  }
  return undefined;
}

class QueryFinder {
  readonly covered = new Set<ts.Node>();
  constructor(private readonly checker: ts.TypeChecker) {}

  static isQueryCall(node: ts.Node): node is ts.CallExpression {
    return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && QUERY_METHODS.has(node.expression.name.text);
  }

  /** Follows a query back to its collection, collecting filters and orders (outermost last). */
  trace(expression: ts.Expression, query: FoundQuery, seen = new Set<ts.Node>()): void {
    const node = unwrap(expression);
    if (seen.has(node)) return void query.problems.push("recursive definition");
    // Every where/orderBy below the outermost call is part of the same query, not one of its own.
    if (seen.size > 0 && QueryFinder.isQueryCall(node)) this.covered.add(node);
    seen.add(node);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression;
      if (QUERY_METHODS.has(method)) {
        this.trace(receiver, query, seen);
        this.record(method, node, query);
        return;
      }
      if (PASSTHROUGH_METHODS.has(method)) return this.trace(receiver, query, seen);
      if (method === "collection" || method === "collectionGroup") {
        const path = stringConstant(this.checker, node.arguments[0]);
        if (path === undefined) return void query.problems.push(`.${method}() of a computed path`);
        query.collection = path.split("/").pop() ?? path;
        query.scope = method === "collectionGroup" ? "COLLECTION_GROUP" : "COLLECTION";
        return;
      }
    }
    // `someDocRef.parent`: the collection the document is in.
    if (ts.isPropertyAccessExpression(node) && node.name.text === "parent") return this.traceDocument(node.expression, query, seen);
    if (!this.traceDefinition(node, query, seen, (e) => this.trace(e, query, seen))) {
      query.problems.push(`cannot trace \`${node.getText().slice(0, 60)}\` to a .collection("...") call`);
    }
  }

  /** A document reference: `<collection>.doc(...)`, possibly behind helpers and locals. */
  private traceDocument(expression: ts.Expression, query: FoundQuery, seen: Set<ts.Node>): void {
    const node = unwrap(expression);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "doc") {
      return this.trace(node.expression.expression, query, seen);
    }
    if (!this.traceDefinition(node, query, seen, (e) => this.traceDocument(e, query, seen))) {
      query.problems.push(`cannot trace \`${node.getText().slice(0, 60)}\` to a .doc(...) call`);
    }
  }

  /** A helper call (`playbackCollection(db, uid)`) or a local (`const q = ...`): follows its definition. */
  private traceDefinition(node: ts.Expression, query: FoundQuery, seen: Set<ts.Node>, follow: (e: ts.Expression) => void): boolean {
    const target = ts.isCallExpression(node) ? node.expression : node;
    const declaration = ts.isIdentifier(target) || ts.isPropertyAccessExpression(target) ? declarationOf(this.checker, target) : undefined;
    let fn: ts.SignatureDeclaration | undefined;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = unwrap(declaration.initializer);
      if (!ts.isCallExpression(node)) {
        follow(init);
        return true;
      }
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) fn = init;
    }
    if (declaration && ts.isCallExpression(node) && ts.isFunctionDeclaration(declaration)) fn = declaration;
    if (!fn) return false;
    const returns = returnedExpressions(fn);
    if (returns.length === 1) follow(returns[0]);
    else query.problems.push(`a helper with ${returns.length} return statements`);
    return true;
  }

  private record(method: string, call: ts.CallExpression, query: FoundQuery): void {
    const [first, second] = call.arguments;
    const field = fieldName(first);
    if (field === undefined)
      return void query.problems.push(`.${method}() with a field that is not a literal: \`${call.getText().slice(0, 80)}\``);
    if (method === "orderBy") {
      const direction = stringLiteral(second);
      if (second && direction === undefined) return void query.problems.push(`.orderBy() with a computed direction`);
      query.orders.push({ field, direction: direction === "desc" ? "DESCENDING" : "ASCENDING" });
      return;
    }
    const op = stringLiteral(second);
    if (op === undefined) return void query.problems.push(`.where() with a computed operator`);
    query.filters.push({ field, op });
  }
}

/** Every query in the given files (each chain once, however many `where`/`orderBy` calls it has). */
function findQueries(files: string[]): FoundQuery[] {
  // Our files only: imports between them resolve, libraries (and their types) are never parsed.
  const program = ts.createProgram(files, { noEmit: true, noLib: true, noResolve: true, types: [] });
  const checker = program.getTypeChecker();
  const finder = new QueryFinder(checker);
  const candidates: Array<{ node: ts.CallExpression; query: FoundQuery }> = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`not in the program: ${file}`);
    const visit = (node: ts.Node): void => {
      if (QueryFinder.isQueryCall(node)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        const query: FoundQuery = {
          where: `${file}:${line + 1}`,
          collection: null,
          scope: "COLLECTION",
          filters: [],
          orders: [],
          problems: [],
        };
        finder.trace(node, query);
        candidates.push({ node, query });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return candidates.filter(({ node }) => !finder.covered.has(node)).map(({ query }) => query);
}

// ---- from a query to the index it needs

/** Firestore appends `__name__` in the direction of the last order; an explicit one that matches adds nothing. */
function withoutImplicitName<T extends { field: string; direction: Direction }>(orders: T[]): T[] {
  const last = orders[orders.length - 1];
  const before = orders[orders.length - 2];
  if (last?.field === "__name__" && last.direction === (before?.direction ?? "ASCENDING")) return orders.slice(0, -1);
  return orders;
}

function requirementOf(query: FoundQuery): Requirement | null {
  const collection = query.collection as string;
  const equality = [...new Set(query.filters.filter((f) => EQUALITY_OPS.has(f.op)).map((f) => f.field))];
  const arrayContains = [...new Set(query.filters.filter((f) => ARRAY_OPS.has(f.op)).map((f) => f.field))];
  const orders = query.orders.filter((o) => !equality.includes(o.field));
  for (const range of query.filters.filter((f) => RANGE_OPS.has(f.op))) {
    if (!orders.some((o) => o.field === range.field)) orders.push({ field: range.field, direction: "ASCENDING" });
  }
  const effective = withoutImplicitName(orders);
  const fields = new Set([...equality, ...arrayContains, ...effective.map((o) => o.field)]);
  // Equality filters alone are served by merging single-field indexes; one field alone by its own index.
  if ((effective.length > 0 || arrayContains.length > 0) && fields.size > 1) {
    return { kind: "composite", collection, scope: query.scope, equality, arrayContains, orders: effective };
  }
  if (query.scope === "COLLECTION") return null;
  const groupFields = [
    ...equality.map((field) => ({ field, mode: "ANY" as const })),
    ...arrayContains.map((field) => ({ field, mode: "CONTAINS" as const })),
    ...effective.map((o) => ({ field: o.field, mode: o.direction })),
  ].filter((f) => f.field !== "__name__");
  return groupFields.length > 0 ? { kind: "groupFields", collection, fields: groupFields } : null;
}

function servesComposite(index: IndexDef, need: Extract<Requirement, { kind: "composite" }>): boolean {
  if (index.collectionGroup !== need.collection || index.queryScope !== need.scope) return false;
  const fields = withoutImplicitName(index.fields.map((f) => ({ ...f, field: f.fieldPath, direction: f.order ?? "ASCENDING" })));
  const prefix = need.equality.length + need.arrayContains.length;
  if (fields.length !== prefix + need.orders.length) return false;
  const head = fields.slice(0, prefix);
  const equalityOk = need.equality.every((field) => head.some((f) => f.fieldPath === field && f.order !== undefined));
  const arrayOk = need.arrayContains.every((field) => head.some((f) => f.fieldPath === field && f.arrayConfig === "CONTAINS"));
  const ordersOk = need.orders.every((o, i) => fields[prefix + i].fieldPath === o.field && fields[prefix + i].order === o.direction);
  return equalityOk && arrayOk && ordersOk;
}

function isServed(need: Requirement, file: IndexFile): boolean {
  if (need.kind === "composite") return file.indexes.some((index) => servesComposite(index, need));
  return need.fields.every(({ field, mode }) =>
    file.fieldOverrides.some(
      (override) =>
        override.collectionGroup === need.collection &&
        override.fieldPath === field &&
        override.indexes.some(
          (index) =>
            index.queryScope === "COLLECTION_GROUP" &&
            (mode === "CONTAINS"
              ? index.arrayConfig === "CONTAINS"
              : index.order !== undefined && (mode === "ANY" || index.order === mode)),
        ),
    ),
  );
}

function describeNeed(need: Requirement): string {
  if (need.kind === "groupFields") {
    return `${need.collection} (COLLECTION_GROUP single-field, in fieldOverrides): ${need.fields.map((f) => `${f.field} ${f.mode}`).join(", ")}`;
  }
  const fields = [
    ...need.equality.map((f) => `${f} ==`),
    ...need.arrayContains.map((f) => `${f} CONTAINS`),
    ...need.orders.map((o) => `${o.field} ${o.direction}`),
  ];
  return `${need.collection} (${need.scope}): ${fields.join(", ")}`;
}

/** Problems and undeclared indexes, as messages naming the query's file and line. */
function missingIndexes(queries: FoundQuery[], file: IndexFile): string[] {
  const messages: string[] = [];
  for (const query of queries) {
    if (query.problems.length > 0 || !query.collection) {
      messages.push(`${query.where}: cannot analyse this query (${query.problems.join("; ") || "unknown collection"})`);
      continue;
    }
    const need = requirementOf(query);
    if (need && !isServed(need, file)) messages.push(`${query.where}: no index declared for ${describeNeed(need)}`);
  }
  return messages;
}

// ---- the project

const root = join(__dirname, "..", "..");
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}
const readIndexes = (): IndexFile => JSON.parse(readFileSync(join(root, "firestore.indexes.json"), "utf8"));

describe("firestore.indexes.json", () => {
  let projectQueries: FoundQuery[];
  beforeAll(() => {
    projectQueries = findQueries(sourceFiles(join(root, "functions", "src")));
  });

  it("is well-formed", () => {
    const file = readIndexes();
    expect(Array.isArray(file.indexes)).toBe(true);
    expect(Array.isArray(file.fieldOverrides)).toBe(true);
    for (const index of file.indexes) {
      expect(index.collectionGroup).toMatch(/^[^/]+$/);
      expect(["COLLECTION", "COLLECTION_GROUP"]).toContain(index.queryScope);
      expect(index.fields.length).toBeGreaterThanOrEqual(2);
      for (const field of index.fields) {
        expect(typeof field.fieldPath).toBe("string");
        expect(Number(field.order !== undefined) + Number(field.arrayConfig !== undefined)).toBe(1);
      }
    }
    for (const override of file.fieldOverrides) {
      expect(override.collectionGroup).toMatch(/^[^/]+$/);
      expect(typeof override.fieldPath).toBe("string");
      for (const index of override.indexes) {
        expect(["COLLECTION", "COLLECTION_GROUP"]).toContain(index.queryScope);
        expect(Number(index.order !== undefined) + Number(index.arrayConfig !== undefined)).toBe(1);
      }
    }
  });

  it("declares an index for every query the functions code makes", () => {
    expect(missingIndexes(projectQueries, readIndexes())).toEqual([]);
  });

  it("sees the queries it is meant to check (the scan is not silently empty)", () => {
    const continueWatching = projectQueries.find((q) => q.collection === "playback");
    expect(continueWatching).toMatchObject({
      filters: [{ field: "watched", op: "==" }],
      orders: [{ field: "lastWatchedAt", direction: "DESCENDING" }],
      problems: [],
    });
    expect(requirementOf(continueWatching as FoundQuery)).not.toBeNull();
  });
});

describe("the query analysis", () => {
  const dir = mkdtempSync(join(tmpdir(), "indexes-"));
  let counter = 0;
  /** Queries in a snippet of code. */
  function queriesIn(code: string): FoundQuery[] {
    const file = join(dir, `snippet${counter++}.ts`);
    writeFileSync(file, `declare const db: any; declare const FieldPath: any; declare const anything: string; export {};\n${code}`);
    return findQueries([file]);
  }
  const composite = (collectionGroup: string, fields: IndexField[], queryScope: Scope = "COLLECTION"): IndexFile => ({
    indexes: [{ collectionGroup, queryScope, fields }],
    fieldOverrides: [],
  });
  const none: IndexFile = { indexes: [], fieldOverrides: [] };

  it("traces helpers, constants and locals to the collection and reports the undeclared composite index", () => {
    const queries = queriesIn(`
      const ITEMS = "items";
      const items = (uid: string) => db.collection("users").doc(uid).collection(ITEMS);
      function recent(uid: string) { const base = items(uid).where("done", "==", false); return base.orderBy("at", "desc").limit(5).get(); }
    `);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({
      collection: "items",
      filters: [{ field: "done", op: "==" }],
      orders: [{ field: "at", direction: "DESCENDING" }],
      problems: [],
    });
    expect(missingIndexes(queries, none)).toEqual([
      expect.stringContaining("no index declared for items (COLLECTION): done ==, at DESCENDING"),
    ]);
    const declared = composite("items", [
      { fieldPath: "done", order: "ASCENDING" },
      { fieldPath: "at", order: "DESCENDING" },
    ]);
    expect(missingIndexes(queries, declared)).toEqual([]);
    // The wrong direction, scope or collection does not serve it.
    expect(
      missingIndexes(
        queries,
        composite("items", [
          { fieldPath: "done", order: "ASCENDING" },
          { fieldPath: "at", order: "ASCENDING" },
        ]),
      ),
    ).toHaveLength(1);
    expect(missingIndexes(queries, composite("items", declared.indexes[0].fields, "COLLECTION_GROUP"))).toHaveLength(1);
    expect(missingIndexes(queries, composite("other", declared.indexes[0].fields))).toHaveLength(1);
  });

  it("reads the collection of a document reference's parent", () => {
    const [query] = queriesIn(`
      const seasonRef = (id: string) => db.collection("cache").doc("tv").collection("seasons").doc(id);
      const seasons = () => seasonRef("x").parent;
      seasons().where("a", "<", 1).orderBy("a").orderBy("b").get();
    `);
    expect(query).toMatchObject({ collection: "seasons", problems: [] });
    expect(requirementOf(query)).toMatchObject({ kind: "composite", orders: [{ field: "a" }, { field: "b" }] });
  });

  it("needs no composite index for equality-only, single-field or name-ordered queries", () => {
    const queries = queriesIn(`
      db.collection("a").where("x", "==", 1).where("y", "==", 2).get();
      db.collection("b").orderBy("at", "desc").orderBy(FieldPath.documentId(), "desc").get();
      db.collection("c").where("at", ">", 1).orderBy("at").get();
      db.collectionGroup("d").where(FieldPath.documentId(), ">=", "a").orderBy(FieldPath.documentId()).get();
    `);
    expect(queries).toHaveLength(4);
    expect(queries.map(requirementOf)).toEqual([null, null, null, null]);
  });

  it("requires range and array filters in the index, and collection-group scope for collectionGroup()", () => {
    const [range, array] = queriesIn(`
      db.collectionGroup("plays").where("show", "==", 1).where("at", ">=", 2).get();
      db.collection("tags").where("labels", "array-contains", "x").orderBy("at").get();
    `);
    expect(requirementOf(range)).toEqual({
      kind: "composite",
      collection: "plays",
      scope: "COLLECTION_GROUP",
      equality: ["show"],
      arrayContains: [],
      orders: [{ field: "at", direction: "ASCENDING" }],
    });
    expect(
      missingIndexes(
        [range],
        composite(
          "plays",
          [
            { fieldPath: "show", order: "ASCENDING" },
            { fieldPath: "at", order: "ASCENDING" },
          ],
          "COLLECTION_GROUP",
        ),
      ),
    ).toEqual([]);
    expect(
      missingIndexes(
        [array],
        composite("tags", [
          { fieldPath: "labels", arrayConfig: "CONTAINS" },
          { fieldPath: "at", order: "ASCENDING" },
        ]),
      ),
    ).toEqual([]);
    expect(
      missingIndexes(
        [array],
        composite("tags", [
          { fieldPath: "labels", order: "ASCENDING" },
          { fieldPath: "at", order: "ASCENDING" },
        ]),
      ),
    ).toHaveLength(1);
  });

  it("requires a collection-group single-field override for a one-field collection-group query", () => {
    const [query] = queriesIn(`db.collectionGroup("tracking").where("showId", "==", 1).orderBy(FieldPath.documentId()).get();`);
    expect(requirementOf(query)).toEqual({ kind: "groupFields", collection: "tracking", fields: [{ field: "showId", mode: "ANY" }] });
    expect(missingIndexes([query], none)).toEqual([
      expect.stringContaining("tracking (COLLECTION_GROUP single-field, in fieldOverrides): showId ANY"),
    ]);
    const override = (queryScope: Scope): IndexFile => ({
      indexes: [],
      fieldOverrides: [{ collectionGroup: "tracking", fieldPath: "showId", indexes: [{ order: "ASCENDING", queryScope }] }],
    });
    expect(missingIndexes([query], override("COLLECTION_GROUP"))).toEqual([]);
    expect(missingIndexes([query], override("COLLECTION"))).toHaveLength(1);
  });

  it("fails on queries it cannot read rather than skip them", () => {
    const queries = queriesIn(`
      db.collection("a").where(anything, "==", 1).orderBy("b").get();
      db.collection(anything).where("x", "==", 1).orderBy("y").get();
    `);
    expect(missingIndexes(queries, none)).toEqual([
      expect.stringContaining("field that is not a literal"),
      expect.stringContaining("computed path"),
    ]);
  });
});
