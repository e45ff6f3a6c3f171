/**
 * The TV tracker backend for apps: one typed method per callable.
 *
 *   const api = createTvTrackerClient(getFunctions(app, "us-central1"));
 *   const { shows } = await api.getLibrary();
 *
 * Request and response types come from the zod schemas the functions validate with
 * (functions/src/contract.ts, bundled into this package at build time): there is no second copy.
 */
import { httpsCallable, type Functions } from "firebase/functions";
import { callableContract, type CallableName, type CallableRequest, type CallableResponse } from "../../functions/src/contract";

export * from "../../functions/src/api";

/** A callable whose every request field is optional may be called with no argument. */
export type CallableMethod<N extends CallableName> =
  Record<string, never> extends CallableRequest<N>
    ? (request?: CallableRequest<N>) => Promise<CallableResponse<N>>
    : (request: CallableRequest<N>) => Promise<CallableResponse<N>>;

export type TvTrackerClient = { readonly [N in CallableName]: CallableMethod<N> };

export interface TvTrackerClientOptions {
  /** Per-call timeout in milliseconds (the Firebase SDK's default is 70 s). */
  timeoutMs?: number;
  /**
   * Check every answer against its response schema and throw if it does not match: for tests and
   * development builds, to catch a client and a backend that drifted apart.
   */
  validateResponses?: boolean;
  /** Use limited-use App Check tokens (replay protection), when the backend enforces App Check. */
  limitedUseAppCheckTokens?: boolean;
}

/** Every callable's name, in the order the contract lists them. */
export const callableNames = Object.keys(callableContract) as CallableName[];

/** Builds the typed client over a `Functions` instance (region `us-central1`, as the backend deploys). */
export function createTvTrackerClient(functions: Functions, options: TvTrackerClientOptions = {}): TvTrackerClient {
  const callOptions = {
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    ...(options.limitedUseAppCheckTokens ? { limitedUseAppCheckTokens: true } : {}),
  };
  const methods: Partial<Record<CallableName, (request?: unknown) => Promise<unknown>>> = {};
  for (const name of callableNames) {
    const callable = httpsCallable(functions, name, callOptions);
    methods[name] = async (request?: unknown) => {
      const { data } = await callable(request ?? {});
      if (!options.validateResponses) return data;
      const parsed = callableContract[name].response.safeParse(data);
      if (!parsed.success) throw new Error(`${name}: the answer does not match its response schema: ${parsed.error.message}`);
      return parsed.data;
    };
  }
  return methods as unknown as TvTrackerClient;
}
