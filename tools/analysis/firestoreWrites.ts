/**
 * Every Firestore write in the functions code, found by reading it with the TypeScript compiler (as the
 * indexes test finds queries): `set`/`update`/`delete`/`create` on a document reference or through a
 * transaction, batch or bulk writer (`tx.set(ref, …)`), `add` on a collection, `recursiveDelete`. Each
 * reference is followed back through locals and helper functions, across files, to its
 * `.collection("…")`/`.doc(…)` chain, giving a path such as `users/{id}/devices/{id}`.
 */
import ts from "typescript";
import { unwrap } from "./sourceFiles";

export interface FoundWrite {
  where: string;
  /** The module (first folder under functions/src) the write is in. */
  module: string;
  method: string;
  /** `users/{id}/devices/{id}`; null when the reference could not be followed. */
  path: string | null;
  /** For a write whose reference could not be followed: the reference as written (`deps.stateRef`). */
  reference?: string;
}

const WRITE_METHODS = new Set(["set", "update", "delete", "create"]);
const PASSTHROUGH = new Set(["withConverter"]);

const literal = (node: ts.Expression | undefined) =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

const QUERY_PASSTHROUGH = new Set([
  "where",
  "orderBy",
  "limit",
  "limitToLast",
  "offset",
  "startAt",
  "startAfter",
  "endAt",
  "endBefore",
  "select",
]);
const ITERATORS = new Set(["forEach", "map", "flatMap", "filter", "find", "some", "every", "reduce"]);
const DEPTH = 40;

/** Document paths end with an id: a collection path (from a query) stands for its documents. */
const asDocument = (path: string) => (path.split("/").length % 2 === 1 ? `${path}/{id}` : path);

class Tracer {
  private readonly callsOf = new Map<ts.Node, ts.CallExpression[]>();

  constructor(
    private readonly checker: ts.TypeChecker,
    sources: ts.SourceFile[],
  ) {
    // Every call of every function of ours, so a reference a function takes as a parameter is followed to its callers.
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const fn = this.functionOf(node.expression);
        if (fn) this.callsOf.set(fn, [...(this.callsOf.get(fn) ?? []), node]);
      }
      ts.forEachChild(node, visit);
    };
    sources.forEach(visit);
  }

  private declarationOf(node: ts.Node): ts.Declaration | undefined {
    let symbol = this.checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  }

  private functionOf(callee: ts.Expression): ts.SignatureDeclaration | undefined {
    if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
    const declaration = this.declarationOf(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    if (!declaration) return undefined;
    if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = unwrap(declaration.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }

  /** A literal, or a `const` initialized with one. */
  private constant(node: ts.Expression | undefined): string | undefined {
    if (!node) return undefined;
    const value = unwrap(node);
    const text = literal(value);
    if (text !== undefined || !ts.isIdentifier(value)) return text;
    const declaration = this.declarationOf(value);
    return declaration && ts.isVariableDeclaration(declaration) && declaration.initializer
      ? literal(unwrap(declaration.initializer))
      : undefined;
  }

  /** The paths a collection, query, document or snapshot expression may stand for (empty: not followed). */
  paths(expression: ts.Expression, depth = 0): string[] {
    if (depth > DEPTH) return [];
    const node = unwrap(expression);
    const next = (e: ts.Expression) => this.paths(e, depth + 1);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression;
      if (method === "collection" || method === "doc") {
        const segment = this.constant(node.arguments[0]);
        // A computed collection id (`collection(kind)`) is a family of collections.
        const name = segment ?? (method === "collection" ? "{collection}" : node.arguments.length === 0 ? "{auto}" : "{id}");
        const bases = next(receiver);
        // `db.collection(...)` (`ctx.db`, `deps.db`): the Firestore instance is the root.
        const onRoot = /(^|\.)db$/.test(unwrap(receiver).getText());
        if (bases.length === 0) return method === "collection" && onRoot ? [name] : [];
        return bases.map((base) => `${base}/${name}`);
      }
      if (PASSTHROUGH.has(method) || QUERY_PASSTHROUGH.has(method)) return next(receiver);
      // A read: `ref.get()`, `query.get()`, `tx.get(ref)`.
      if (method === "get") return node.arguments.length === 0 ? next(receiver) : next(node.arguments[0]);
    }
    if (ts.isPropertyAccessExpression(node)) {
      const name = node.name.text;
      if (name === "parent") return next(node.expression).flatMap((p) => (p.includes("/") ? [p.slice(0, p.lastIndexOf("/"))] : []));
      if (name === "ref") return next(node.expression).map(asDocument);
      if (name === "docs") return next(node.expression);
    }
    if (ts.isElementAccessExpression(node)) return next(node.expression);
    return this.definition(node, depth);
  }

  private definition(node: ts.Expression, depth: number): string[] {
    const next = (e: ts.Expression) => this.paths(e, depth + 1);
    const target = ts.isCallExpression(node) ? node.expression : node;
    if (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target)) return [];
    if (ts.isCallExpression(node)) {
      const fn = this.functionOf(target);
      return fn ? unique(returned(fn).flatMap(next)) : [];
    }
    const declaration = this.declarationOf(ts.isPropertyAccessExpression(target) ? target.name : target);
    if (!declaration) return [];
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) return next(declaration.initializer);
    if (ts.isBindingElement(declaration)) {
      // `const [a, b] = await db.getAll(refA, refB)`: the reference at the same position.
      const pattern = declaration.parent;
      const holder = pattern.parent;
      if (ts.isArrayBindingPattern(pattern) && ts.isVariableDeclaration(holder) && holder.initializer) {
        const init = unwrap(holder.initializer);
        const index = pattern.elements.indexOf(declaration);
        if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === "getAll")
          return init.arguments[index] ? next(init.arguments[index]) : [];
        return next(init);
      }
      return [];
    }
    if (ts.isParameter(declaration)) {
      const fn = declaration.parent;
      const index = fn.parameters.indexOf(declaration);
      // An element of `snaps.forEach((snap) => …)`, `page.docs.map((doc) => …)`: what is iterated.
      const call = fn.parent;
      if (
        ts.isCallExpression(call) &&
        ts.isPropertyAccessExpression(call.expression) &&
        ITERATORS.has(call.expression.name.text) &&
        index === 0
      )
        return next(call.expression.expression);
      // A function's parameter: what its callers pass.
      return unique((this.callsOf.get(fn) ?? []).flatMap((caller) => (caller.arguments[index] ? next(caller.arguments[index]) : [])));
    }
    if (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) return [];
    return [];
  }
}

const unique = (values: string[]) => [...new Set(values)];

function returned(fn: ts.SignatureDeclaration): ts.Expression[] {
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

/** A name that is a Firestore writer or reference by this codebase's conventions, so an untraced write on it is a problem, not a Map. */
const WRITERS = /^(tx|txn|transaction|batch|writer|bulkWriter)$/;
const FIRESTORE_NAME = /^(tx|txn|transaction|batch|writer|bulkWriter|db)$|Ref$|^ref$|ref$/i;

export function findWrites(files: string[], srcRoot: string): FoundWrite[] {
  const program = ts.createProgram(files, { noEmit: true, noLib: true, noResolve: true, types: [] });
  const sources = files.map((file) => program.getSourceFile(file)).filter((source): source is ts.SourceFile => source !== undefined);
  const tracer = new Tracer(program.getTypeChecker(), sources);
  const writes: FoundWrite[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`not in the program: ${file}`);
    const relative = file.slice(srcRoot.length + 1).replace(/\\/g, "/");
    const module = relative.includes("/") ? relative.split("/")[0] : relative;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const receiver = node.expression.expression;
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        const where = `${relative}:${line + 1}`;
        const first = node.arguments[0];
        if (WRITE_METHODS.has(method) || method === "recursiveDelete") {
          const viaArgument = first ? tracer.paths(first) : [];
          const viaReceiver = method === "recursiveDelete" || viaArgument.length ? [] : tracer.paths(receiver);
          const paths = [...viaArgument, ...viaReceiver].map(asDocument);
          const receiverName = unwrap(receiver).getText().split(".").pop() ?? "";
          if (paths.length) for (const path of unique(paths)) writes.push({ where, module, method, path });
          else if (FIRESTORE_NAME.test(receiverName) || method === "recursiveDelete")
            writes.push({
              where,
              module,
              method,
              path: null,
              reference: (WRITERS.test(receiverName) && first ? first : receiver).getText(),
            });
        } else if (method === "add") {
          for (const path of tracer.paths(receiver)) writes.push({ where, module, method, path: `${path}/{auto}` });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return writes;
}

/**
 * What one owner is responsible for: a collection (`users/{id}/devices`), or a single named document
 * (`users/{id}/library/summary`, `ops/nightly_reenrich`) when its id is a literal.
 */
export function ownedUnit(path: string): string {
  const segments = path.split("/");
  if (segments.length % 2 === 1) return path; // a collection (add)
  const id = segments[segments.length - 1];
  return id.startsWith("{") ? segments.slice(0, -1).join("/") : path;
}

/** Every document path the code builds with `.doc(…)` (written or read), for paths whose writes go through snapshots. */
export function findDocumentPaths(files: string[]): string[] {
  const program = ts.createProgram(files, { noEmit: true, noLib: true, noResolve: true, types: [] });
  const sources = files.map((file) => program.getSourceFile(file)).filter((source): source is ts.SourceFile => source !== undefined);
  const tracer = new Tracer(program.getTypeChecker(), sources);
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "doc")
      tracer.paths(node).forEach((path) => found.add(path));
    ts.forEachChild(node, visit);
  };
  sources.forEach(visit);
  // A parent document (`tmdb_cache/tv`) is only a path segment when deeper documents hang under it.
  return [...found].filter((path) => ![...found].some((other) => other.startsWith(`${path}/`))).sort();
}
