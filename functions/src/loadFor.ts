/**
 * `load()` when this instance serves `functionName` or when no function is named (deploy-time discovery,
 * the emulator's discovery, tests); otherwise nothing is loaded and the export is left undefined, which
 * the Functions runtime never reads in another function's instance. Typed as the loaded value, since
 * every reader (the runtime for its target, discovery, tests) sees it loaded.
 */
export function loadFor<T>(functionName: string, load: () => T): T {
  const target = process.env.FUNCTION_TARGET;
  return (target === undefined || target === "" || target === functionName ? load() : undefined) as T;
}
