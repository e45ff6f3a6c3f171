import { readdirSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";
import * as exported from "../../functions/src/index";
import { defineTaskQueue } from "../../functions/src/triggers/taskQueue";
import { defineUserDeletedTrigger } from "../../functions/src/triggers/userDeleted";
import { functionsSrc, importedModules, parseSource, sourceFiles } from "../../tools/analysis/sourceFiles";

/**
 * The layout the README's "How to add a function" describes, checked from the code: every deployed
 * function is one entry module (`entries/<name>.ts`), every trigger is built by one helper per kind, and
 * only those helpers touch firebase-functions' trigger constructors.
 */
const TRIGGER_HELPERS = new Set([
  "callables/defineCallable.ts",
  "triggers/http.ts",
  "triggers/taskQueue.ts",
  "triggers/schedule.ts",
  "triggers/userDeleted.ts",
]);
/** What a module may be at the root of functions/src: the export map, the contract and the client's schema barrel. */
const ROOT_FILES = ["api.ts", "contract.ts", "index.ts"];

/**
 * Trigger constructors a module imports from firebase-functions: v2's `onCall`, `onRequest`,
 * `onTaskDispatched`, `onSchedule` (and every other `on…` event), a namespace import of a trigger module
 * (whose members could be called), and anything from the v1 API (`auth.user().onDelete`, `https.onCall`,
 * `pubsub.schedule`, …) other than types.
 */
export function triggerConstructorsUsed(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      const from = node.moduleSpecifier.text;
      const clause = node.importClause;
      const v1 = /^firebase-functions(\/v1(\/.*)?)?$/.test(from);
      const v2 = /^firebase-functions\/v2(\/.*)?$/.test(from);
      if ((v1 || v2) && clause) {
        if (clause.name) found.push(`${from} default import`);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) found.push(`* as ${bindings.name.text} from ${from}`);
        if (bindings && ts.isNamedImports(bindings))
          for (const element of bindings.elements) {
            if (element.isTypeOnly) continue;
            const name = (element.propertyName ?? element.name).text;
            if (/^on[A-Z]/.test(name) || (v1 && from !== "firebase-functions")) found.push(`${name} from ${from}`);
            else if (from === "firebase-functions" && ["https", "auth", "pubsub", "tasks", "scheduler", "firestore"].includes(name))
              found.push(`${name} from ${from}`);
          }
      }
    } else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "require" &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0]) &&
      /^firebase-functions(\/v1|\/v2)/.test(node.arguments[0].text)
    ) {
      found.push(`require(${node.arguments[0].text})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the trigger layer", () => {
  it("finds trigger constructors however they are imported (the check itself can fail)", () => {
    const snippet = (code: string) => triggerConstructorsUsed(parseSource("snippet.ts", code));
    expect(snippet(`import { onCall, HttpsError } from "firebase-functions/v2/https";`)).toEqual([
      "onCall from firebase-functions/v2/https",
    ]);
    expect(snippet(`import { onSchedule as every } from "firebase-functions/v2/scheduler";`)).toHaveLength(1);
    expect(snippet(`import * as https from "firebase-functions/v2/https";`)).toHaveLength(1);
    expect(snippet(`import { auth } from "firebase-functions/v1";`)).toHaveLength(1);
    expect(snippet(`import * as functions from "firebase-functions/v1";`)).toHaveLength(1);
    expect(snippet(`const f = require("firebase-functions/v2/tasks");`)).toHaveLength(1);
    expect(snippet(`import { HttpsError, type CallableOptions } from "firebase-functions/v2/https";`)).toEqual([]);
    expect(snippet(`import type { TaskQueueOptions } from "firebase-functions/v2/tasks";`)).toEqual([]);
    expect(snippet(`import * as logger from "firebase-functions/logger";`)).toEqual([]);
  });

  it("is the only code that calls firebase-functions' trigger constructors (onCall, onRequest, onTaskDispatched, onSchedule, v1)", () => {
    const offenders = sourceFiles()
      .filter((file) => !TRIGGER_HELPERS.has(file))
      .flatMap((file) => triggerConstructorsUsed(parseSource(file)).map((use) => `${file}: ${use}`));
    expect(offenders).toEqual([]);
  });

  it("exports one function per entry module, named as its file, and nothing else", () => {
    const entries = readdirSync(join(functionsSrc, "entries"))
      .filter((name) => name.endsWith(".ts"))
      .map((name) => name.slice(0, -3));
    expect(Object.keys(exported).sort()).toEqual(entries.sort());
    for (const name of entries) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry module as index.ts loads it
      const entry = require(join(functionsSrc, "entries", name)) as { default: unknown };
      expect([name, (exported as Record<string, unknown>)[name]]).toEqual([name, entry.default]);
    }
  });

  it("keeps the root of functions/src to the export map, the contract and the schema barrel", () => {
    const root = sourceFiles().filter((file) => !file.includes("/"));
    expect(root.sort()).toEqual(ROOT_FILES);
  });

  it("has domains that import no entry module and no trigger helper", () => {
    const layers = ["entries/", "triggers/", "callables/"];
    const offenders = sourceFiles()
      .filter((file) => file.includes("/") && !layers.some((layer) => file.startsWith(layer)))
      .flatMap((file) =>
        importedModules(parseSource(file))
          .filter((spec) => spec.startsWith("."))
          .map((spec) => posix.join(posix.dirname(file), spec))
          .filter((target) => layers.some((layer) => target.startsWith(layer)))
          .map((target) => `${file} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it("runs a task queue's final-failure step after the last attempt only, then lets the queue see the failure", async () => {
    const finalFailures: string[] = [];
    const queue = defineTaskQueue<{ id: string }>({
      name: "testQueue",
      parse: (data) => ({ id: String((data as { id: unknown }).id) }),
      handler: async () => {
        throw new Error("boom");
      },
      onFinalFailure: async (_ctx, task) => {
        finalFailures.push(task.id);
      },
      options: { retryConfig: { maxAttempts: 3 } },
    });
    const attempt = (retryCount: number) =>
      (queue as unknown as { run(request: unknown): Promise<void> }).run({ data: { id: `job-${retryCount}` }, retryCount });
    await expect(attempt(0)).rejects.toThrow("boom");
    await expect(attempt(1)).rejects.toThrow("boom");
    expect(finalFailures).toEqual([]);
    await expect(attempt(2)).rejects.toThrow("boom");
    expect(finalFailures).toEqual(["job-2"]);
  });

  it("defines the Auth user-deletion trigger (v1 `auth.user().onDelete`) in the shared region", () => {
    const project = process.env.GCLOUD_PROJECT;
    process.env.GCLOUD_PROJECT = "demo-trigger-layout";
    try {
      const trigger = defineUserDeletedTrigger({ name: "onUserDeleted", tmdb: false, handler: async () => undefined });
      const endpoint = (trigger as unknown as { __endpoint: { region: string[]; eventTrigger: { eventType: string } } }).__endpoint;
      expect(endpoint.region).toEqual(["us-central1"]);
      expect(endpoint.eventTrigger.eventType).toBe("providers/firebase.auth/eventTypes/user.delete");
    } finally {
      if (project === undefined) delete process.env.GCLOUD_PROJECT;
      else process.env.GCLOUD_PROJECT = project;
    }
  });
});
