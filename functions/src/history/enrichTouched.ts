import pLimit from "p-limit";
import type { AppContext } from "../shared/app";
import { enrichShow } from "../enrichment/enrichShow";
import { logEnrichAfterImportFailed } from "../shared/logs";

const SHOW_CONCURRENCY = 4;
/** The plays are recorded already: a season another request is filling is left pending, not waited for. */
const BEST_EFFORT_LOCK_WAIT_MS = 2_000;

/**
 * Enriches the shows an import or mark touched, through the global season cache (one TMDB call per
 * season, shared by every user). Best effort: the plays are already recorded, so TMDB trouble here is
 * logged and left to `enrichShow`/`enrichLibrary`/the nightly run, never failing the request.
 */
export async function enrichTouchedShows(ctx: AppContext, uid: string, showIds: Iterable<number>): Promise<void> {
  const limit = pLimit(SHOW_CONCURRENCY);
  const bestEffort = { ...ctx, cache: ctx.cache.withLockWait(BEST_EFFORT_LOCK_WAIT_MS) };
  await Promise.all(
    [...new Set(showIds)].map((showId) =>
      limit(async () => {
        try {
          await enrichShow(bestEffort, uid, showId);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          logEnrichAfterImportFailed({
            uid,
            showId,
            code: typeof code === "string" ? code : "internal",
            message: (error as Error).message,
          });
        }
      }),
    ),
  );
}
