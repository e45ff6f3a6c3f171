import { parse } from "csv-parse/sync";
import { parseCsvTimestamp } from "../shared/dates";
import { invalidArgument } from "../shared/errors";
import { MAX_CSV_ROWS } from "./schemas";

export interface CsvPlayRow {
  /** As a spreadsheet numbers it: the header is row 1. */
  row: number;
  title: string;
  season: number;
  episode: number;
  watchedAt: Date;
  tmdbId?: number;
}

export interface ParsedCsv {
  rows: CsvPlayRow[];
  invalidRows: number[];
}

const REQUIRED_COLUMNS = ["title", "season", "episode", "watched_at"] as const;
const HEADER_HINT = "title,season,episode,watched_at[,tmdb_id]";

/**
 * Parses an import file with csv-parse (quoted fields, commas and line breaks inside quotes, CRLF, a
 * UTF-8 BOM). The header names the columns (any order, case-insensitive, extra columns ignored). A row
 * that fails validation is reported by number and never stops the others; blank rows are skipped.
 * Row numbers are records as a spreadsheet shows them (header = 1, blank rows counted, a quoted line
 * break stays in its row). A file that is not CSV at all (an unclosed quote) is `invalid-argument`.
 */
export function parseHistoryCsv(csv: string): ParsedCsv {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: true }) as string[][];
  } catch (error) {
    throw invalidArgument(`csv: ${(error as Error).message}`);
  }
  const header = (records[0] ?? []).map((name) => name.toLowerCase());
  const column = Object.fromEntries([...REQUIRED_COLUMNS, "tmdb_id"].map((name) => [name, header.indexOf(name)]));
  const missing = REQUIRED_COLUMNS.filter((name) => column[name] < 0);
  if (missing.length > 0) throw invalidArgument(`csv: the header row must be ${HEADER_HINT} (missing ${missing.join(", ")})`);
  if (records.length - 1 > MAX_CSV_ROWS) throw invalidArgument(`csv: at most ${MAX_CSV_ROWS} rows per call`);

  const rows: CsvPlayRow[] = [];
  const invalidRows: number[] = [];
  records.slice(1).forEach((record, i) => {
    const row = i + 2;
    if (record.every((field) => field === "")) return;
    const field = (name: string) => (column[name] >= 0 ? (record[column[name]] ?? "") : "");
    const parsed = parseRow(row, field("title"), field("season"), field("episode"), field("watched_at"), field("tmdb_id"));
    if (parsed) rows.push(parsed);
    else invalidRows.push(row);
  });
  return { rows, invalidRows };
}

function parseRow(row: number, title: string, season: string, episode: string, watchedAt: string, tmdbId: string): CsvPlayRow | null {
  const seasonNumber = parseInteger(season, 0, 9999);
  const episodeNumber = parseInteger(episode, 1, 99_999);
  const when = parseCsvTimestamp(watchedAt);
  const showId = tmdbId === "" ? undefined : parseInteger(tmdbId, 1, 2_147_483_647);
  if (seasonNumber === null || episodeNumber === null || when === null || showId === null) return null;
  if (showId === undefined && title === "") return null;
  return { row, title, season: seasonNumber, episode: episodeNumber, watchedAt: when, ...(showId !== undefined ? { tmdbId: showId } : {}) };
}

function parseInteger(value: string, min: number, max: number): number | null {
  if (!/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}
