import { defineConfig } from "tsup";

// The functions' schema modules (functions/src/contract.ts and what it imports: zod only) are bundled
// in, so the package ships the very schemas the backend validates with; zod and firebase stay external.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2020",
  sourcemap: true,
  tsconfig: "tsconfig.json",
  external: ["zod", "firebase", /^firebase\//],
});
