import type { CachedEpisode, SeasonEpisodes } from "../cache/documents";
import { parseEpisodeKey } from "../tracking/episodeKeys";
import type { TrackedEpisode } from "../tracking/trackingDoc";

export const ENRICHMENT_FIELDS = ["episodeId", "episodeName", "episodeAirDate"] as const;

export interface EnrichmentPlan {
  /** Season → keys of tracked episodes that need (or, for rechecked seasons, may need) TMDB fields. */
  keysBySeason: Map<number, string[]>;
  alreadyEnriched: number;
  malformedKeys: number;
}

export function isEnriched(entry: TrackedEpisode): boolean {
  return ENRICHMENT_FIELDS.every((field) => entry[field] !== undefined);
}

/**
 * Groups the episodes missing TMDB fields by season. Seasons in `recheckSeasons` (TMDB reported a
 * change) are compared in full. Keys that are not `"{season}_{episode}"` are counted and left alone.
 */
export function planEnrichment(episodes: Record<string, TrackedEpisode>, recheckSeasons: ReadonlySet<number> = new Set()): EnrichmentPlan {
  const keysBySeason = new Map<number, string[]>();
  let alreadyEnriched = 0;
  let malformedKeys = 0;
  for (const [key, entry] of Object.entries(episodes)) {
    const ref = parseEpisodeKey(key);
    if (!ref || typeof entry !== "object" || entry === null) {
      malformedKeys++;
      continue;
    }
    const enriched = isEnriched(entry);
    if (enriched) alreadyEnriched++;
    if (enriched && !recheckSeasons.has(ref.season)) continue;
    const keys = keysBySeason.get(ref.season) ?? [];
    keys.push(key);
    keysBySeason.set(ref.season, keys);
  }
  return { keysBySeason, alreadyEnriched, malformedKeys };
}

export interface EpisodeUpdate {
  key: string;
  fields: Partial<CachedEpisode>;
}

/** The enrichment fields that differ from the season's cached episodes; never any other field. */
export function enrichmentUpdates(
  episodes: Record<string, TrackedEpisode>,
  keys: string[],
  season: SeasonEpisodes,
): { updates: EpisodeUpdate[]; notFound: number } {
  const updates: EpisodeUpdate[] = [];
  let notFound = 0;
  for (const key of keys) {
    const ref = parseEpisodeKey(key);
    const cached = ref ? season[String(ref.episode)] : undefined;
    if (!cached) {
      notFound++;
      continue;
    }
    const entry = episodes[key] ?? {};
    const fields: Partial<CachedEpisode> = {};
    for (const field of ENRICHMENT_FIELDS) {
      if (entry[field] !== cached[field]) Object.assign(fields, { [field]: cached[field] });
    }
    if (Object.keys(fields).length > 0) updates.push({ key, fields });
  }
  return { updates, notFound };
}
