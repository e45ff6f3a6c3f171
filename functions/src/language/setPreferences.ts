import type { AppContext } from "../shared/app";
import { markLibraryLanguageStale } from "../progress/librarySummary";
import { writePreferences } from "./preferences";
import { startNamesReenrich, type NamesQueue } from "./reenrichNames";
import type { Preferences, SetPreferencesRequest } from "./schemas";

/**
 * `setPreferences` (CONTRACT §11): stores the profile's language and time zone; a language switch then
 * re-enriches the names of its tracked episodes (small library: before answering; large: in the background)
 * and makes the library summary's entries due (their names are in the old language): the next `getLibrary`
 * recomputes them once in the new one. The mark comes after the preferences are written, so a view that
 * read the old preferences and the summary before the mark loses its write-back condition to it; one that
 * read the summary just after the mark but the preferences just before the write may still store the old
 * language, which the next `getLibrary` corrects (it compares the summary's language with the profile's).
 */
export async function setPreferences(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  queue: NamesQueue,
  uid: string,
  request: SetPreferencesRequest,
): Promise<Preferences> {
  const result = await writePreferences(ctx, uid, request);
  if (result.previousLanguage !== undefined) {
    await markLibraryLanguageStale(ctx.db, uid, result.language);
    await startNamesReenrich(ctx, queue, uid, result.language);
  }
  return { language: result.language, timeZone: result.timeZone };
}
