/** Two projects: `unit` needs nothing running; `emulator` needs the Firestore/Auth/Functions emulators
 * (run through `npm test`, which wraps Jest in `firebase emulators:exec`).
 * `silent`: the functions' structured logs are not test output (tests about logging spy on the logger);
 * `JEST_VERBOSE_LOGS=1 npm test` shows them. */
const tsJest = {
  "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }],
  // firebase-admin 14 requires jose 6 (through jwks-rsa), which ships ES modules only; Jest's CommonJS
  // runtime cannot load them as they are, so they are transpiled to CommonJS like our own code.
  "^.+/node_modules/jose/.+\\.js$": ["ts-jest", { tsconfig: { allowJs: true, module: "commonjs", target: "ES2022" }, diagnostics: false }],
};
/** Everything in node_modules is left as it is, except jose (see above). */
const transformIgnorePatterns = ["/node_modules/(?!jose/)"];
const guards = ["<rootDir>/test/support/noNetworkWarnings.ts"];
module.exports = {
  testTimeout: 60000,
  // The emulator's heaviest suites first, while it is fresh (see the sequencer for why).
  testSequencer: "<rootDir>/test/support/sequencer.mjs",
  silent: process.env.JEST_VERBOSE_LOGS !== "1",
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: tsJest,
      transformIgnorePatterns,
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
      setupFilesAfterEnv: guards,
    },
    {
      displayName: "emulator",
      testEnvironment: "node",
      transform: tsJest,
      transformIgnorePatterns,
      testMatch: ["<rootDir>/test/integration/**/*.test.ts", "<rootDir>/test/e2e/**/*.test.ts"],
      setupFiles: ["<rootDir>/test/support/emulatorEnv.ts"],
      setupFilesAfterEnv: guards,
    },
  ],
};
