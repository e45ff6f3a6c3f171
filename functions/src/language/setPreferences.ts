import type { AppContext } from "../shared/app";
import { writePreferences } from "./preferences";
import { startNamesReenrich, type NamesQueue } from "./reenrichNames";
import type { Preferences, SetPreferencesRequest } from "./schemas";

/**
 * `setPreferences` (CONTRACT §11): stores the profile's language and time zone; a language switch then
 * re-enriches the names of its tracked episodes (small library: before answering; large: in the background).
 */
export async function setPreferences(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  queue: NamesQueue,
  uid: string,
  request: SetPreferencesRequest,
): Promise<Preferences> {
  const result = await writePreferences(ctx, uid, request);
  if (result.previousLanguage !== undefined) await startNamesReenrich(ctx, queue, uid, result.language);
  return { language: result.language, timeZone: result.timeZone };
}
