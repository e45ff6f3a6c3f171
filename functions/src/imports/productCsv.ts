import { parseCsvTimestamp } from "../shared/dates";
import type { ImportRecord, InvalidRow } from "./records";
import { integer, type CsvTable } from "./table";
import type { ReadResult } from "./tvtime";

/**
 * This product's CSV, as `importCsv` takes it: `title,season,episode,watched_at[,tmdb_id]`. Times are
 * read as `importCsv` reads them and plays get the same ids (`csv_<show>_<s>_<e>_<ms>`), so a file
 * imported both ways is recorded once.
 */
export function readProductCsv(table: CsvTable): ReadResult {
  table.require("title", "season", "episode", "watched_at");
  const records: ImportRecord[] = [];
  const invalid: InvalidRow[] = [];
  table.rows.forEach((row, i) => {
    const title = table.get(row, "title");
    const season = integer(table.get(row, "season"), 0, 9999);
    const episode = integer(table.get(row, "episode"), 1, 99_999);
    const watchedAt = parseCsvTimestamp(table.get(row, "watched_at"));
    const tmdbRaw = table.get(row, "tmdb_id");
    const tmdb = tmdbRaw === "" ? undefined : integer(tmdbRaw, 1, 2_147_483_647);
    if (season === null || episode === null || !watchedAt || tmdb === null || (tmdb === undefined && title === "")) {
      invalid.push({ file: table.file, row: i + 2, reason: "title, season, episode, watched_at or tmdb_id is not valid" });
      return;
    }
    records.push({
      kind: "episodePlay",
      file: table.file,
      row: i + 2,
      source: "csv",
      sourceId: null,
      target: { show: { ...(tmdb ? { tmdb } : {}), ...(title ? { title } : {}) }, season, episode },
      watchedAt,
      action: "watch",
    });
  });
  return { records, invalid };
}
