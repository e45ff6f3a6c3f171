/** Episode entries are keyed `"{season}_{episode}"` (season 0 = specials, episodes from 1). */
const EPISODE_KEY = /^(0|[1-9]\d{0,3})_([1-9]\d{0,5})$/;

export interface EpisodeRef {
  season: number;
  episode: number;
}

export function parseEpisodeKey(key: string): EpisodeRef | null {
  const match = EPISODE_KEY.exec(key);
  return match ? { season: Number(match[1]), episode: Number(match[2]) } : null;
}

export const episodeKey = (season: number, episode: number) => `${season}_${episode}`;

/** Air order: by season, then episode (specials, season 0, first). */
export function compareEpisodes(a: EpisodeRef, b: EpisodeRef): number {
  return a.season - b.season || a.episode - b.episode;
}
