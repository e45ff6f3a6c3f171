import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";

/** The functions' source root, and every `.ts` file under it (paths relative to it, with `/`). */
export const functionsSrc = join(__dirname, "..", "..", "functions", "src");

export function sourceFiles(dir = functionsSrc): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [relative(functionsSrc, path).split(sep).join("/")] : [];
  });
}

export const parseSource = (file: string, text = readFileSync(join(functionsSrc, file), "utf8")) =>
  ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);

/** Every module a file imports, re-exports or requires, as written; `values` leaves out type-only imports. */
export function importedModules(source: ts.SourceFile, { values = false } = {}): string[] {
  const found: string[] = [];
  const typeOnly = (node: ts.ImportDeclaration) => {
    const clause = node.importClause;
    if (!clause) return false;
    if (clause.isTypeOnly) return true;
    const bindings = clause.namedBindings;
    return (
      !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.every((element) => element.isTypeOnly)
    );
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!(values && typeOnly(node))) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!(values && node.isTypeOnly)) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0]) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))
    )
      found.push(node.arguments[0].text);
    else if (!values && ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      found.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The expression under parentheses, `as` casts, non-null assertions and `await`s. */
export function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isAwaitExpression(current)
  )
    current = current.expression;
  return current;
}
