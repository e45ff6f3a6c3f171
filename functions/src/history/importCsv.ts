import { metered, type AppContext } from "../shared/app";
import { logCsvImported } from "../shared/logs";
import { parseHistoryCsv } from "./csv";
import { enrichTouchedShows } from "./enrichTouched";
import { resolveTitles } from "../cache/resolveIds";
import { episodePlay, type EpisodePlay } from "../tracking/plays";
import { recordPlays } from "../tracking/repository";
import type { ImportCsvResponse } from "./schemas";

/**
 * Imports a watch list from a spreadsheet: rows with a `tmdb_id` use it, the others resolve their
 * (cleaned) title through the globally cached `/search/tv`. Titles TMDB does not find (or cannot be
 * asked about right now) come back in `unmatched`; the rest are recorded idempotently as
 * `csv_<showId>_<season>_<episode>_<watchedAtMillis>` and their shows enriched.
 */
export async function importCsv(context: AppContext, uid: string, csv: string): Promise<ImportCsvResponse> {
  const started = Date.now();
  const ctx = metered(context);
  const { rows, invalidRows } = parseHistoryCsv(csv);
  const showIdByTitle = await resolveTitles(
    ctx,
    rows.flatMap((row) => (row.tmdbId === undefined ? [row.title] : [])),
  );

  const plays: EpisodePlay[] = [];
  const unmatched = new Set<string>();
  for (const row of rows) {
    const showId = row.tmdbId ?? showIdByTitle.get(row.title) ?? null;
    if (showId === null) {
      unmatched.add(row.title);
      continue;
    }
    plays.push(episodePlay({ showId, season: row.season, episode: row.episode, watchedAt: row.watchedAt, source: "csv" }));
  }

  const { added, duplicates } = await recordPlays(ctx.db, uid, plays, { clock: ctx.clock });
  const shows = new Set(plays.map((p) => p.showId));
  await enrichTouchedShows(ctx, uid, shows);
  const response = { added, duplicates, unmatched: [...unmatched], invalidRows };
  logCsvImported({
    uid,
    rows: rows.length + invalidRows.length,
    added,
    duplicates,
    unmatched: unmatched.size,
    invalidRows: invalidRows.length,
    shows: shows.size,
    tmdbCalls: ctx.meter.requests,
    durationMs: Date.now() - started,
  });
  return response;
}
