import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import * as exported from "../../functions/src/index";
import { callableContract } from "../../functions/src/contract";

/**
 * The client SDK as an app consumes it: the built package (client/dist, made by `npm run build`),
 * compiled against by a small app under two module resolutions, and loaded as CJS and as ESM.
 */
const root = join(__dirname, "..", "..");
const consumer = join(root, "test", "client-consumer");

function diagnosticsOf(configFile: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error(`cannot read ${configFile}`);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** Every exported callable, found by shape (defineCallable attaches `callableName` and `schema`). */
const exportedCallables = Object.values(exported).flatMap((value) =>
  typeof value === "function" && "callableName" in value && "schema" in value
    ? [value as unknown as { callableName: string; schema: unknown }]
    : [],
);

describe("the client package", () => {
  it.each(["tsconfig.json", "tsconfig.cjs.json"])("types an app's calls from the functions' schemas (%s)", (config) => {
    expect(diagnosticsOf(join(consumer, config))).toEqual([]);
  });

  it("loads as CommonJS and as an ES module, with one method per callable", async () => {
    const probe = `
      const cjs = require("@tvtracker/client");
      import(${JSON.stringify(pathToFileURL(join(root, "client", "dist", "index.js")).href)}).then((esm) => {
        const fakeFunctions = { app: {}, region: "us-central1" };
        const names = (m) => Object.keys(m.createTvTrackerClient(fakeFunctions)).sort();
        console.log(JSON.stringify({ cjs: names(cjs), esm: names(esm), listed: cjs.callableNames.slice().sort() }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", probe], { cwd: root, encoding: "utf8" })) as Record<string, string[]>;
    const expected = exportedCallables.map((c) => c.callableName).sort();
    expect(out.cjs).toEqual(expected);
    expect(out.esm).toEqual(expected);
    expect(out.listed).toEqual(expected);
  });

  it("lists every exported callable with the very request schema it validates with, and a response schema", () => {
    const contract = callableContract as Record<string, { request: unknown; response: unknown } | undefined>;
    for (const callable of exportedCallables) {
      expect({ name: callable.callableName, listed: contract[callable.callableName]?.request === callable.schema }).toEqual({
        name: callable.callableName,
        listed: true,
      });
      expect(contract[callable.callableName]?.response).toBeDefined();
    }
    expect(Object.keys(contract).sort()).toEqual(exportedCallables.map((c) => c.callableName).sort());
  });
});
