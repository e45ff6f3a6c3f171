import { AppError, unavailable } from "../shared/errors";

/**
 * The one mapping from a cache answer to the contract's errors. Every kind of cache result is
 * answered (`fresh`, `fetched`, `stale`), `pending` (another request's live lock outlasted the wait)
 * or `unavailable` (TMDB failed and nothing is cached); callers that cannot work without the data
 * turn the last two into `AppError`s here, with one message format.
 */
export type Unanswered = { state: "pending" } | { state: "unavailable"; error: AppError };
export type Answered<R extends { state: string }> = Exclude<R, Unanswered>;

/** What a caller reports for data another request is still fetching from TMDB. */
export const stillFetching = (what: string) => unavailable(`${what} is being fetched from TMDB by another request; try again shortly`);

/** The error for an unanswered result, or null when the result carries data. */
export function cacheProblem(result: { state: string; error?: AppError } | undefined, what: string): AppError | null {
  if (!result || result.state === "pending") return stillFetching(what);
  if (result.state === "unavailable") return result.error as AppError;
  return null;
}

/** The answered result, or throws the mapped error (`what` names the data: "Season 2 of show 1399"). */
export function answeredOrThrow<R extends { state: string }>(result: R | undefined, what: string): Answered<R> {
  const problem = cacheProblem(result as { state: string; error?: AppError } | undefined, what);
  if (problem) throw problem;
  return result as Answered<R>;
}

export const showLabel = (showId: number) => `Show ${showId}`;
export const seasonLabel = (showId: number, season: number) => `Season ${season} of show ${showId}`;
export const movieLabel = (movieId: number) => `Movie ${movieId}`;
