import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { logPreferencesSet } from "./logs";
import { DEFAULT_LANGUAGE, DEFAULT_TIME_ZONE } from "./tags";
import type { Preferences, SetPreferencesRequest } from "./schemas";

/** `users/{uid}/settings/preferences`: `{ language, timeZone, updatedAt }` (CONTRACT §11), owner-readable. */
export const preferencesRef = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("settings").doc("preferences");

export const DEFAULT_PREFERENCES: Preferences = { language: DEFAULT_LANGUAGE, timeZone: DEFAULT_TIME_ZONE };

/** The user's language and time zone, defaulted field by field (one read). */
export async function readPreferences(db: Firestore, uid: string): Promise<Preferences> {
  const data = (await preferencesRef(db, uid).get()).data() as Partial<Preferences> | undefined;
  return {
    language: typeof data?.language === "string" ? data.language : DEFAULT_LANGUAGE,
    timeZone: typeof data?.timeZone === "string" ? data.timeZone : DEFAULT_TIME_ZONE,
  };
}

export interface SetPreferencesResult extends Preferences {
  /** The language before this call, when it changed: names are then re-enriched. */
  previousLanguage?: string;
}

/**
 * Writes the profile's preferences (`uid` is the profile's: `defineCallable` authorised `profileId` already) (fields not given keep their value, or the defaults) in a transaction,
 * so two concurrent calls setting different fields both hold.
 */
export async function writePreferences(
  deps: { db: Firestore; clock: () => Date },
  uid: string,
  request: SetPreferencesRequest,
): Promise<SetPreferencesResult> {
  const started = Date.now();
  const ref = preferencesRef(deps.db, uid);
  const result = await deps.db.runTransaction(async (tx) => {
    const data = (await tx.get(ref)).data() as Partial<Preferences> | undefined;
    const before = {
      language: typeof data?.language === "string" ? data.language : DEFAULT_LANGUAGE,
      timeZone: typeof data?.timeZone === "string" ? data.timeZone : DEFAULT_TIME_ZONE,
    };
    const next: Preferences = { language: request.language ?? before.language, timeZone: request.timeZone ?? before.timeZone };
    tx.set(ref, { ...next, updatedAt: Timestamp.fromDate(deps.clock()) });
    return { ...next, ...(next.language !== before.language ? { previousLanguage: before.language } : {}) };
  });
  logPreferencesSet({
    uid,
    language: result.language,
    timeZone: result.timeZone,
    languageChanged: result.previousLanguage !== undefined,
    durationMs: Date.now() - started,
  });
  return result;
}

/** The language of each of several users (the default when unset), in one batched read (`fieldMask`: nothing else). */
export async function readLanguages(db: Firestore, uids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(uids)];
  if (unique.length === 0) return new Map();
  const snaps = await db.getAll(...unique.map((uid) => preferencesRef(db, uid)), { fieldMask: ["language"] });
  return new Map(
    snaps.map((snap, i) => [unique[i], typeof snap.get("language") === "string" ? (snap.get("language") as string) : DEFAULT_LANGUAGE]),
  );
}
