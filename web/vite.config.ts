import { defineConfig } from "vite";

// No framework plugin: Vite's own transformer compiles JSX for Preact (automatic runtime), which is all
// this app needs (no fast refresh in `vite dev`; a reload is fine for a reference client).
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  // Firestore alone is ~110 kB gzipped: the first screen's chunk is over Vite's default warning size by design.
  build: { target: "es2022", sourcemap: true, reportCompressedSize: true, chunkSizeWarningLimit: 700 },
});
