import { parse } from "csv-parse/sync";
import { ImportFileError, missingColumn } from "./errors";

/**
 * One CSV file as a header and rows, read by column NAME (lower-cased, trimmed), never by position:
 * export columns drift between versions and users. csv-parse handles quotes, CRLF and a BOM.
 */
export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
  has(column: string): boolean;
  /** The first of `columns` the header has, or undefined. */
  pick(...columns: string[]): string | undefined;
  /** Throws `missing-column` naming the file and the first missing column. */
  require(...columns: string[]): void;
  /** A row's value of a column ("" when the column or the cell is absent). */
  get(row: string[], column: string | undefined): string;
}

export function readCsvTable(file: string, text: string): CsvTable {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    throw new ImportFileError("invalid-csv", file, `not a readable CSV file (${(error as Error).message.slice(0, 120)})`);
  }
  const header = (records[0] ?? []).map((name) => name.trim().toLowerCase());
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  return {
    file,
    header,
    rows: records.slice(1),
    has: (column) => index.has(column),
    pick: (...columns) => columns.find((column) => index.has(column)),
    require(...columns) {
      const missing = columns.find((column) => !index.has(column));
      if (missing) throw missingColumn(file, missing);
    },
    get(row, column) {
      if (column === undefined) return "";
      const i = index.get(column);
      return i === undefined ? "" : (row[i] ?? "").trim();
    },
  };
}

/** The first line of a CSV text, lower-cased column names, for format detection. */
export function csvHeaderOf(text: string): string[] {
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return firstLine.split(",").map((name) => name.trim().replace(/^"|"$/g, "").toLowerCase());
}

const DIGITS = /^\d{1,15}$/;

/** A positive id written as digits ("0", "", "null" and the like mean none). */
export function externalId(value: string): string | undefined {
  const trimmed = value.trim();
  return DIGITS.test(trimmed) && Number(trimmed) > 0 ? String(Number(trimmed)) : undefined;
}

export function imdbId(value: string): string | undefined {
  const trimmed = value.trim();
  return /^tt\d{1,12}$/.test(trimmed) ? trimmed : undefined;
}

export function integer(value: string, min: number, max: number): number | null {
  if (!/^-?\d{1,10}$/.test(value.trim())) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** `1`, `true`, `yes` (any case) are true; everything else is false. */
export const truthy = (value: string) => /^(1|true|yes|t|y)$/i.test(value.trim());
