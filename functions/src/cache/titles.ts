import { createHash } from "node:crypto";

export interface CleanTitle {
  /** What is sent to TMDB `/search/tv`. */
  query: string;
  /** A trailing `(2019)`, sent as `first_air_date_year`. */
  year?: number;
  /** The cache key: the lower-cased query and the year (`the office|2005`). */
  key: string;
}

const TRAILING_YEAR = /\s*\((\d{4})\)$/;
/** Country suffixes trackers add to tell remakes apart: `(US)`, `(UK)`, `(AU)`, `(USA)`. */
const TRAILING_COUNTRY = /\s*\(([A-Z]{2}|USA)\)$/;

/**
 * Cleans a title from a spreadsheet before searching TMDB: whitespace collapsed, a trailing year
 * taken out as the year filter, country suffixes dropped (in either order: "Shameless (US) (2011)").
 */
export function cleanTitle(raw: string): CleanTitle {
  let query = raw.normalize("NFKC").replace(/\s+/g, " ").trim();
  let year: number | undefined;
  for (;;) {
    const yearMatch = year === undefined ? TRAILING_YEAR.exec(query) : null;
    if (yearMatch && yearMatch.index > 0) {
      year = Number(yearMatch[1]);
      query = query.slice(0, yearMatch.index);
      continue;
    }
    const countryMatch = TRAILING_COUNTRY.exec(query);
    if (countryMatch && countryMatch.index > 0) {
      query = query.slice(0, countryMatch.index);
      continue;
    }
    break;
  }
  return { query, ...(year !== undefined ? { year } : {}), key: `${normaliseName(query)}|${year ?? ""}` };
}

export const normaliseName = (name: string) => name.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();

/** A Firestore-safe document id for a title key (titles may contain `/` or be `.`). */
export const titleDocId = (key: string) => createHash("sha256").update(key).digest("hex").slice(0, 40);

/** TMDB ranks by relevance; an exact (case-insensitive) name match wins over the first result. */
export function pickSearchResult(query: string, results: Array<{ id: number; name: string }>): number | null {
  const wanted = normaliseName(query);
  return (results.find((r) => normaliseName(r.name) === wanted) ?? results[0])?.id ?? null;
}
