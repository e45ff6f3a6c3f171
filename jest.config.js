/** Two projects: `unit` needs nothing running; `emulator` needs the Firestore/Auth/Functions emulators
 * (run through `npm test`, which wraps Jest in `firebase emulators:exec`).
 * `silent`: the functions' structured logs are not test output (tests about logging spy on the logger);
 * `JEST_VERBOSE_LOGS=1 npm test` shows them. */
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }] };
const guards = ["<rootDir>/test/support/noNetworkWarnings.ts"];
module.exports = {
  testTimeout: 60000,
  silent: process.env.JEST_VERBOSE_LOGS !== "1",
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
      setupFilesAfterEnv: guards,
    },
    {
      displayName: "emulator",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/test/integration/**/*.test.ts", "<rootDir>/test/e2e/**/*.test.ts"],
      setupFiles: ["<rootDir>/test/support/emulatorEnv.ts"],
      setupFilesAfterEnv: guards,
    },
  ],
};
