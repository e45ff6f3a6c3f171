/** Load measurements that print latencies (`npm run bench:webhooks`): not part of `npm test`, which asserts
 * behaviour only. Same environment as the emulator suites. */
const base = require("./jest.config.js");
const emulator = base.projects.find((p) => p.displayName === "emulator");
module.exports = {
  testTimeout: 300000,
  silent: false,
  projects: [{ ...emulator, displayName: "load", testMatch: ["<rootDir>/test/load/**/*.test.ts"] }],
};
