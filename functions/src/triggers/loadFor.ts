/**
 * Cold starts: Cloud Functions runs every function in its own instances and names it in FUNCTION_TARGET,
 * so an instance requires only its own function's entry module (and what that imports); the others stay
 * unloaded. Without a target (the CLI's deploy-time discovery, the emulator's, tests) every function is
 * loaded. bench/coldStart.mjs measures it per function.
 */

/**
 * `load()` when this instance serves `functionName` or when no function is named; otherwise nothing is
 * loaded and the export is left undefined, which the Functions runtime never reads in another function's
 * instance. Typed as the loaded value, since every reader (the runtime for its target, discovery, tests)
 * sees it loaded.
 */
export function loadFor<T>(functionName: string, load: () => T): T {
  const target = process.env.FUNCTION_TARGET;
  return (target === undefined || target === "" || target === functionName ? load() : undefined) as T;
}

/** The function an entry module (`entries/<name>.ts`) exports as its default, loaded as `loadFor` says. */
export const entry = <T>(functionName: string, load: () => { default: T }): T => loadFor(functionName, () => load().default);
