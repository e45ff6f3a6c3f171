import type { LibraryMedia, RateTarget } from "./schemas";

/** `users/{uid}/watchlist/{mediaKey}`: `tv_{showId}` or `movie_{movieId}` (docs/API.md: library callables). */
export function mediaKeyOf(media: LibraryMedia): string {
  return media.type === "show" ? `tv_${media.showId}` : `movie_${media.movieId}`;
}

/** `users/{uid}/ratings/{ratingKey}`: `tv_{show}`, `tv_{show}_{season}`, `tv_{show}_{season}_{episode}` or `movie_{id}`. */
export function ratingKeyOf(target: RateTarget): string {
  switch (target.type) {
    case "show":
      return `tv_${target.showId}`;
    case "season":
      return `tv_${target.showId}_${target.season}`;
    case "episode":
      return `tv_${target.showId}_${target.season}_${target.episode}`;
    case "movie":
      return `movie_${target.movieId}`;
  }
}
