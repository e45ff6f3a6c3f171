import { findByExternalIds, searchShowsByTitle, type ExternalSource, type LookupDeps } from "./lookups";
import { cleanTitle, pickSearchResult, titleDocId, type CleanTitle } from "./titles";

/** An item known by external ids only (a Trakt or webhook show without a TMDB id). */
export interface ExternalRef {
  tvdb?: string;
  imdb?: string;
}

/**
 * TMDB show ids for items that carry only external ids: `/find` by tvdb first, then by imdb for those
 * tvdb did not resolve. Returns a resolver (null = unresolved) and whether TMDB failed for any.
 */
export async function resolveExternalIds(
  deps: LookupDeps,
  refs: ExternalRef[],
): Promise<{ showIdOf: (ref: ExternalRef) => number | null; failed: number }> {
  const found = new Map<string, number | null>();
  let failed = 0;
  const resolveAll = async (source: ExternalSource, ids: string[]) => {
    const distinct = [...new Set(ids)].filter((id) => !found.has(`${source}:${id}`));
    const outcomes = await findByExternalIds(
      deps,
      distinct.map((id) => ({ source, id, kind: "show" as const })),
    );
    outcomes.forEach((outcome, i) => {
      if ("error" in outcome) failed++;
      found.set(`${source}:${distinct[i]}`, outcome.match?.kind === "show" ? outcome.match.showId : null);
    });
  };
  const viaTvdb = (ref: ExternalRef) => (ref.tvdb ? (found.get(`tvdb_id:${ref.tvdb}`) ?? null) : null);
  await resolveAll(
    "tvdb_id",
    refs.flatMap((ref) => (ref.tvdb ? [ref.tvdb] : [])),
  );
  await resolveAll(
    "imdb_id",
    refs.flatMap((ref) => (ref.imdb && viaTvdb(ref) === null ? [ref.imdb] : [])),
  );
  return {
    showIdOf: (ref) => viaTvdb(ref) ?? (ref.imdb ? (found.get(`imdb_id:${ref.imdb}`) ?? null) : null),
    failed,
  };
}

/** TMDB show ids for raw titles (cleaned first), one `/search/tv` per distinct cleaned title ever. */
export async function resolveTitles(deps: LookupDeps, rawTitles: string[]): Promise<Map<string, number | null>> {
  const byKey = new Map<string, CleanTitle>();
  const keyOf = new Map<string, string>();
  for (const raw of new Set(rawTitles)) {
    const clean = cleanTitle(raw);
    keyOf.set(raw, clean.key);
    if (clean.query && !byKey.has(clean.key)) byKey.set(clean.key, clean);
  }
  const cleaned = [...byKey.values()];
  const outcomes = await searchShowsByTitle(
    deps,
    cleaned.map((clean) => ({
      key: clean.key,
      docId: titleDocId(clean.key),
      query: clean.query,
      year: clean.year,
      pick: (results) => pickSearchResult(clean.query, results),
    })),
  );
  const showIdByKey = new Map(cleaned.map((clean, i) => [clean.key, outcomes[i].showId]));
  return new Map([...keyOf].map(([raw, key]) => [raw, showIdByKey.get(key) ?? null]));
}
