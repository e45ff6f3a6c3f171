import type { AppContext } from "../shared/app";
import { localizedNames, type NameRequest } from "../language/localize";
import { readPreferences } from "../language/preferences";
import type { ShowProgress } from "./schemas";

/**
 * Progress answers in the profile's language (CONTRACT §11): the show's name and up next's episode name,
 * translated where TMDB has a real translation, the default-language names otherwise. Counts and
 * pointers are untouched. Used for one show's progress (`getShowProgress`); the library stores its names
 * already in the profile's language (getLibrary.ts, `localizeEntries`), so it does not go through here.
 */
export async function localizeProgress<P extends ShowProgress>(
  ctx: Pick<AppContext, "db" | "cache">,
  uid: string,
  shows: P[],
  language?: string,
): Promise<P[]> {
  const lang = language ?? (await readPreferences(ctx.db, uid)).language;
  const requests: NameRequest[] = shows.map((show) => ({
    showId: show.showId,
    show: true,
    seasons: show.nextEpisode ? [show.nextEpisode.season] : [],
  }));
  const book = await localizedNames(ctx.cache.names, lang, requests);
  return shows.map((show) => ({
    ...show,
    name: book.show(show.showId, show.name),
    nextEpisode: show.nextEpisode
      ? { ...show.nextEpisode, name: book.episode(show.showId, show.nextEpisode.season, show.nextEpisode.episode, show.nextEpisode.name) }
      : null,
  }));
}
