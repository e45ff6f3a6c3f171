import { isZip, readZip } from "./archive";
import { formatByCsvHeader, formatByJsonItem, formatByName, baseName } from "./detect";
import { ImportFileError } from "./errors";
import type { ExportFormat, ImportSource, ParsedFile } from "./records";
import { sourceOfFormat } from "./records";
import { csvHeaderOf, readCsvTable } from "./table";
import { parseTraktJson, readRatings, readWatchedHistory, readWatchedShows, readWatchlist } from "./trakt";
import { readProductCsv } from "./productCsv";
import {
  readAppEpisodes,
  readAppMovies,
  readAppShows,
  readFollowedShows,
  readRewatchedEpisodes,
  readSeenEpisodes,
  readTrackingMovies,
  readTrackingV2,
  readUserShowData,
  type ReadResult,
} from "./tvtime";

export type SourceHint = "auto" | ImportSource;

/**
 * An uploaded file, whole, as the records of every export file in it. A ZIP's unrelated files are
 * skipped; a file that is none of the formats (or a ZIP with none in it), a corrupt ZIP, a ZIP bomb,
 * or a recognised file missing a required column throws `ImportFileError`, so nothing is applied.
 */
export async function readUpload(fileName: string, bytes: Buffer, hint: SourceHint = "auto"): Promise<ParsedFile[]> {
  if (bytes.length === 0) throw new ImportFileError("empty-file", fileName, "the file is empty");
  if (isZip(bytes) || /\.zip$/i.test(fileName)) {
    const entries = await readZip(fileName, bytes, (name) => /\.(csv|json)$/i.test(name) && !baseName(name).startsWith("._"));
    const parsed = entries.flatMap((entry) => {
      const file = readExportFile(entry.name, entry.data.toString("utf8"), hint, false);
      return file ? [file] : [];
    });
    if (parsed.length === 0)
      throw new ImportFileError("unsupported-file", fileName, "the archive holds no TV Time, Trakt or CSV export file");
    return parsed;
  }
  const file = readExportFile(fileName, bytes.toString("utf8"), hint, true);
  return file ? [file] : [];
}

/** One file of an export; null when it is none of the formats and `mustMatch` is false. */
export function readExportFile(name: string, text: string, hint: SourceHint, mustMatch: boolean): ParsedFile | null {
  const file = baseName(name);
  const isJson =
    /\.json$/i.test(name) ||
    text
      .replace(/^\uFEFF/, "")
      .trimStart()
      .startsWith("[");
  const byName = formatByName(name);
  // A JSON file is parsed once: its first item tells the format when its name does not.
  const items = isJson && (byName === null || byName.startsWith("trakt.")) ? parseJsonIfExport(file, text, byName !== null) : null;
  const format = byName ?? (items ? formatByJsonItem(items[0]) : isJson ? null : formatByCsvHeader(csvHeaderOf(text)));
  if (!format || (hint !== "auto" && sourceOfFormat(format) !== hint)) {
    if (!mustMatch) return null;
    const expected = hint === "auto" ? "a TV Time, Trakt or CSV export file" : `a ${hint} export file`;
    throw new ImportFileError("unsupported-file", file, `not ${expected} (by its name and header)`);
  }
  const { records, invalid } = items && format.startsWith("trakt.") ? readTrakt(format, file, items) : readCsvFormat(format, file, text);
  return { file, format, records, invalid };
}

/** Parsed items, or null for unreadable JSON whose name did not promise an export (it is then no format). */
function parseJsonIfExport(file: string, text: string, named: boolean): unknown[] | null {
  try {
    return parseTraktJson(file, text);
  } catch (error) {
    if (named) throw error;
    return null;
  }
}

function readTrakt(format: ExportFormat, file: string, items: unknown[]): ReadResult {
  if (format === "trakt.watched_history") return readWatchedHistory(file, items);
  if (format === "trakt.watched_shows") return readWatchedShows(file, items);
  if (format === "trakt.ratings") return readRatings(file, items);
  return readWatchlist(file, items);
}

function readCsvFormat(format: ExportFormat, file: string, text: string): ReadResult {
  const table = readCsvTable(file, text);
  if (table.header.length === 0) throw new ImportFileError("empty-file", file, "the file has no header row");
  switch (format) {
    case "tvtime.seen_episode":
      return readSeenEpisodes(table);
    case "tvtime.rewatched_episode":
      return readRewatchedEpisodes(table);
    case "tvtime.user_tv_show_data":
      return readUserShowData(table);
    case "tvtime.followed_tv_show":
      return readFollowedShows(table);
    case "tvtime.tracking_v2":
      return readTrackingV2(table);
    case "tvtime.tracking_movies":
      return readTrackingMovies(table);
    case "tvtime.app_episodes":
      return readAppEpisodes(table);
    case "tvtime.app_shows":
      return readAppShows(table);
    case "tvtime.app_movies":
      return readAppMovies(table);
    default:
      return readProductCsv(table);
  }
}
