import type { AppContext } from "../shared/app";
import { localizedNames, type NameBook, type NameRequest } from "../language/localize";
import { readPreferences } from "../language/preferences";
import type { ShowProgress } from "./schemas";

/** The names a show's progress shows: the show's own, and up next's season's episode names. */
export const progressNameRequests = (shows: ShowProgress[]): NameRequest[] =>
  shows.map((show) => ({ showId: show.showId, show: true, seasons: show.nextEpisode ? [show.nextEpisode.season] : [] }));

/** The progress with the show's and up next's names from `book` (counts and pointers untouched). */
export function namedProgress<P extends ShowProgress>(book: NameBook, show: P): P {
  const { showId, nextEpisode } = show;
  return {
    ...show,
    name: book.show(showId, show.name),
    nextEpisode: nextEpisode
      ? { ...nextEpisode, name: book.episode(showId, nextEpisode.season, nextEpisode.episode, nextEpisode.name) }
      : null,
  };
}

/** Did `book` fall back for one of the progress's names because the cache could not answer now? */
export const progressNamesUnloaded = (book: NameBook, show: ShowProgress): boolean =>
  book.unloaded(show.showId) || (show.nextEpisode !== null && book.unloaded(show.showId, show.nextEpisode.season));

/**
 * Progress answers in the profile's language (CONTRACT §11): the show's name and up next's episode name,
 * translated where TMDB has a real translation, the default-language names otherwise. Used for one show's
 * progress (`getShowProgress`); the library stores its names already in the profile's language
 * (getLibrary.ts, `localizeEntries`, through the same two pieces above).
 */
export async function localizeProgress<P extends ShowProgress>(
  ctx: Pick<AppContext, "db" | "cache">,
  uid: string,
  shows: P[],
  language?: string,
): Promise<P[]> {
  const lang = language ?? (await readPreferences(ctx.db, uid)).language;
  const book = await localizedNames(ctx.cache.names, lang, progressNameRequests(shows));
  return shows.map((show) => namedProgress(book, show));
}
