import { tvdbEpisodeIdFor, tvdbIdFor } from "../fake-tmdb/catalog";
import { makeZip } from "./zip";

/**
 * A synthetic TV Time GDPR export (the layout of TV Time's own `seen_episode.csv`,
 * `rewatched_episode.csv` and `followed_tv_show.csv`), for the fake TMDB's catalogue: episode and
 * show ids follow its TVDB conventions (`tvdbEpisodeIdFor`, `tvdbIdFor`), so `/find` resolves them.
 * Used by the e2e tests, the `npm start` demo and the benchmark.
 */
export interface SyntheticShow {
  /** TMDB show id in the fake's catalogue. */
  showId: number;
  name: string;
  /** Episodes watched, in order, as [season, episode]. */
  watched: Array<[season: number, episode: number]>;
  /** Episodes rewatched, with how many times (`cpt`). */
  rewatched?: Array<[season: number, episode: number, times: number]>;
  archived?: boolean;
}

export interface SyntheticExport {
  zip: Buffer;
  /** Plays the export holds: one per seen row, plus each rewatch. */
  plays: number;
  /** Distinct TVDB ids in it (episodes and shows). */
  tvdbIds: number;
}

const HOUR_MS = 3_600_000;

/** TV Time writes `YYYY-MM-DD HH:MM:SS` in UTC. */
const tvTimeTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/**
 * Builds the ZIP in memory. Plays are an hour apart from `startMs`; a rewatch comes a year after its
 * first viewing. `paddingBytes` adds an incompressible file TV Time exports also carry (a profile
 * picture), so a test can make the upload span several parts.
 */
export function tvTimeExport(shows: SyntheticShow[], options: { startMs?: number; paddingBytes?: number } = {}): SyntheticExport {
  let at = options.startMs ?? Date.parse("2021-01-02T20:00:00Z");
  const seen = ["tweet_id,user_id,episode_id,created_at,updated_at,fb_action_id"];
  const rewatched = ["user_id,episode_id,cpt,created_at,updated_at"];
  const followed = ["created_at,archived,tv_show_name,user_id,tv_show_id"];
  let plays = 0;
  const ids = new Set<string>();
  for (const show of shows) {
    followed.push(`${tvTimeTime(at)},${show.archived ? 1 : 0},${show.name.replace(/,/g, " ")},1,${tvdbIdFor(show.showId)}`);
    ids.add(tvdbIdFor(show.showId));
    for (const [season, episode] of show.watched) {
      const id = tvdbEpisodeIdFor(show.showId, season, episode);
      seen.push(`,1,${id},${tvTimeTime(at)},${tvTimeTime(at)},`);
      ids.add(id);
      plays++;
      at += HOUR_MS;
    }
    for (const [season, episode, times] of show.rewatched ?? []) {
      const id = tvdbEpisodeIdFor(show.showId, season, episode);
      const when = tvTimeTime(at + 365 * 24 * HOUR_MS);
      rewatched.push(`1,${id},${times},${when},${when}`);
      ids.add(id);
      plays += times;
    }
  }
  const entries: Array<{ name: string; data: Buffer | string }> = [
    { name: "tvtime-export/seen_episode.csv", data: `${seen.join("\n")}\n` },
    { name: "tvtime-export/rewatched_episode.csv", data: `${rewatched.join("\n")}\n` },
    { name: "tvtime-export/followed_tv_show.csv", data: `${followed.join("\n")}\n` },
  ];
  if (options.paddingBytes) entries.push({ name: "tvtime-export/profile_picture.jpg", data: incompressible(options.paddingBytes) });
  return { zip: makeZip(entries), plays, tvdbIds: ids.size };
}

/** Deterministic bytes deflate cannot shrink (xorshift). */
function incompressible(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let x = 2_463_534_242;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Splits a file into the base64 parts `uploadImportPart` takes. */
export function importParts(bytes: Buffer, partBytes: number): string[] {
  return Array.from({ length: Math.ceil(bytes.length / partBytes) }, (_, i) =>
    bytes.subarray(i * partBytes, (i + 1) * partBytes).toString("base64"),
  );
}
