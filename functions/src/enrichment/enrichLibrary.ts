import pLimit from "p-limit";
import { AppError } from "../errors";
import { trackingCollection, type TrackingDoc } from "../tracking/trackingDoc";
import { planEnrichment } from "./plan";
import { enrichShow, type EnrichDeps } from "./enrichShow";

export interface EnrichLibraryResult {
  shows: number;
  enriched: number;
  /** Seasons not enriched this time (populated by another request, or TMDB unavailable): call again later. */
  pendingSeasons: number;
}

/** Shows enriched at once: enough to keep the TMDB client at its rate cap (the cold library bench: 4 → 3.4 s, 20 gains nothing more). */
const SHOW_CONCURRENCY = 10;

/** Enriches every show in a user's library; one show's TMDB trouble does not fail the others. */
export async function enrichLibrary(deps: EnrichDeps, uid: string): Promise<EnrichLibraryResult> {
  const snapshot = await trackingCollection(deps.db, uid).get();
  const limit = pLimit(SHOW_CONCURRENCY);
  let enriched = 0;
  let pendingSeasons = 0;
  let unavailable: AppError | undefined;
  let failedShows = 0;
  await Promise.all(
    snapshot.docs.map((doc) =>
      limit(async () => {
        const showId = Number(doc.id);
        if (!Number.isSafeInteger(showId) || showId <= 0) return;
        try {
          const result = await enrichShow(deps, uid, showId, { snapshot: doc });
          enriched += result.enriched;
          pendingSeasons += result.pendingSeasons.length;
        } catch (error) {
          if (!(error instanceof AppError) || (error.code !== "unavailable" && error.code !== "resource-exhausted")) throw error;
          unavailable = error;
          failedShows++;
          const episodes = (doc.data() as TrackingDoc).episodes ?? {};
          pendingSeasons += planEnrichment(episodes).keysBySeason.size;
        }
      }),
    ),
  );
  // Nothing could be done at all: say so rather than answer with an empty success.
  if (unavailable && failedShows === snapshot.size) throw unavailable;
  return { shows: snapshot.size, enriched, pendingSeasons };
}
