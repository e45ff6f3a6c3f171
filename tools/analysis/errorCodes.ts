import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { functionsSrc, importedModules, parseSource, sourceFiles } from "./sourceFiles";

/** The `AppError` factories of functions/src/shared/errors.ts, by the code they throw. */
const FACTORIES: Record<string, string> = {
  notFound: "not-found",
  invalidArgument: "invalid-argument",
  failedPrecondition: "failed-precondition",
  resourceExhausted: "resource-exhausted",
  unavailable: "unavailable",
};
/** Where the codes are defined, and the trigger helper (whose own codes are stated, not scanned). */
const NOT_SCANNED = new Set(["shared/errors.ts", "callables/defineCallable.ts"]);

/** The `AppError` codes a module throws itself: `new AppError("code", …)` and the factories' calls. */
function codesIn(file: string): string[] {
  const text = readFileSync(join(functionsSrc, file), "utf8");
  const found = [...text.matchAll(/new AppError\(\s*"([a-z-]+)"/g)].map((m) => m[1]);
  for (const [factory, code] of Object.entries(FACTORIES)) if (new RegExp(`\\b${factory}\\(`).test(text)) found.push(code);
  return found;
}

/**
 * The `AppError` codes an entry module's code may throw: those of every module it reaches through
 * relative imports. An over-approximation by module (a module's code is counted whether or not the
 * callable's path runs it), which is what a client should be ready for.
 */
export function reachableErrorCodes(entryFile: string): string[] {
  const known = new Set(sourceFiles());
  const seen = new Set<string>();
  const queue = [entryFile];
  const codes = new Set<string>();
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file) || NOT_SCANNED.has(file)) continue;
    seen.add(file);
    codesIn(file).forEach((code) => codes.add(code));
    for (const spec of importedModules(parseSource(file), { values: true })) {
      if (!spec.startsWith(".")) continue;
      const target = `${posix.join(posix.dirname(file), spec)}.ts`;
      if (known.has(target)) queue.push(target);
    }
  }
  return [...codes].sort();
}
