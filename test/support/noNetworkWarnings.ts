/**
 * Runs after the test framework in every test file: the file fails if anything in it looked for the
 * cloud metadata server (the Google auth library's MetadataLookupWarning), because tests talk to
 * 127.0.0.1 only. scripts/with-emulators.mjs and emulatorEnv.ts set the auth library's switch
 * (METADATA_SERVER_DETECTION=none) so no such lookup is made.
 *
 * Libraries call `process.emitWarning` on the `process` Jest gives each test file, whose event
 * listeners are its own copy's, so the warning is caught where it is raised rather than listened for.
 */
const metadataLookups: string[] = [];
const emitWarning = process.emitWarning;

function warningType(warning: string | Error, typeOrOptions: unknown): string | undefined {
  if (typeof typeOrOptions === "string") return typeOrOptions;
  if (typeOrOptions && typeof typeOrOptions === "object" && "type" in typeOrOptions) return String(typeOrOptions.type);
  return warning instanceof Error ? warning.name : undefined;
}

process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
  if (warningType(warning, rest[0]) === "MetadataLookupWarning") metadataLookups.push(String(warning));
  return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
} as typeof process.emitWarning;

afterAll(() => {
  process.emitWarning = emitWarning;
  expect({ metadataServerLookups: metadataLookups }).toEqual({ metadataServerLookups: [] });
});
