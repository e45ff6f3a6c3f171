/** Two projects: `unit` needs nothing running; `emulator` needs the Firestore/Auth/Functions emulators
 * (run through `npm test`, which wraps Jest in `firebase emulators:exec`). */
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }] };
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
    },
    {
      displayName: "emulator",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/test/integration/**/*.test.ts", "<rootDir>/test/e2e/**/*.test.ts"],
      setupFiles: ["<rootDir>/test/support/emulatorEnv.ts"],
    },
  ],
};
