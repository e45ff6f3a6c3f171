import { FieldPath, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { SeasonEpisodes } from "../cache/documents";
import { isAlreadyExists } from "../shared/firestoreErrors";
import { devicesCollection, pruneDevices } from "../library/devices";
import { logAlertSendFailed, logEpisodeAlerts } from "../library/logs";
import { isHiddenStatus } from "../library/schemas";
import { compareEpisodes } from "../tracking/episodeKeys";
import { TRACKING_COLLECTION } from "../tracking/trackingDoc";
import type { AlertMessage, AlertSender } from "./alertSender";
import type { NightlyDeps } from "./deps";
import { addDays } from "../shared/dates";
import { showToday } from "../language/airTime";
import { localizedNames, type NameBook } from "../language/localize";
import { readLanguages } from "../language/preferences";
import { DEFAULT_LANGUAGE } from "../language/tags";

/**
 * New-episode alerts (docs/API.md: library callables). When the nightly job has refreshed a show, every episode that aired
 * in the last ALERT_WINDOW_DAYS days (a missed night still alerts) is announced to each follower who has
 * not paused or dropped the show: one `users/{uid}/inbox/{showId}_{season}_{episode}` document, created
 * with `create()` so it exists at most once, and — only by the run that created it — one FCM message per
 * registered device. A second run finds the inbox item and sends nothing. Tokens FCM reports as invalid
 * are removed.
 */
export const ALERT_WINDOW_DAYS = 3;
/** Followers read per page (collection-group query on `showId`, the nightly job's index). */
const FOLLOWERS_PAGE = 300;

export interface AiredEpisode {
  season: number;
  episode: number;
  name: string;
  airDate: string;
}

/** Regular-season episodes with an air date in [today − (ALERT_WINDOW_DAYS − 1), today]. Pure. */
export function recentlyAired(seasons: Map<number, SeasonEpisodes>, today: string): AiredEpisode[] {
  const from = addDays(today, -(ALERT_WINDOW_DAYS - 1));
  const aired: AiredEpisode[] = [];
  for (const [season, episodes] of seasons) {
    if (season < 1) continue;
    for (const [number, cached] of Object.entries(episodes)) {
      const airDate = cached?.episodeAirDate;
      const episode = Number(number);
      if (Number.isInteger(episode) && episode > 0 && typeof airDate === "string" && airDate >= from && airDate <= today) {
        aired.push({ season, episode, name: cached.episodeName ?? "", airDate });
      }
    }
  }
  return aired.sort(compareEpisodes);
}

export const inboxCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("inbox");
export const inboxId = (showId: number, episode: { season: number; episode: number }) => `${showId}_${episode.season}_${episode.episode}`;

export interface AlertCounts {
  followers: number;
  notified: number;
  messages: number;
  invalidTokens: number;
}

/**
 * Announces the show's recently aired episodes (from the cache the refresh just filled) to its
 * followers. Safe to repeat and to run concurrently with itself: the inbox `create()` decides who sends.
 */
export async function alertNewEpisodes(
  deps: Pick<NightlyDeps, "db" | "cache" | "clock">,
  sender: AlertSender,
  showId: number,
): Promise<AlertCounts> {
  const started = Date.now();
  const counts: AlertCounts = { followers: 0, notified: 0, messages: 0, invalidTokens: 0 };
  const show = await deps.cache.getShow(showId);
  if (!("facts" in show) || show.facts.notFound) return counts;
  // Aired by the show's clock (language/airTime.ts): an episode is announced by the first run after 20:00 in its country.
  const today = showToday(show.facts, deps.clock());
  // Only seasons that started by today can have aired episodes; the cache serves them without TMDB after a refresh.
  const candidates = Object.entries(show.facts.seasons)
    .filter(([season, facts]) => Number(season) > 0 && (facts?.airDate === null || (facts?.airDate ?? "") <= today))
    .map(([season]) => Number(season));
  const latest = candidates.sort((a, b) => b - a).slice(0, 2);
  const loaded = latest.length ? await deps.cache.load(showId, latest) : { seasons: new Map() };
  const seasons = new Map<number, SeasonEpisodes>();
  for (const [season, result] of loaded.seasons) if ("episodes" in result) seasons.set(season, result.episodes);
  const episodes = recentlyAired(seasons, today);
  if (episodes.length === 0) return counts;

  const name = show.facts.name ?? `Show ${showId}`;
  const books = new Map<string, Promise<NameBook>>();
  const seasonsAired = [...new Set(episodes.map((e) => e.season))];
  const namesIn = (language: string) => {
    let book = books.get(language);
    if (!book) {
      book = localizedNames(deps.cache.names, language, [{ showId, show: true, seasons: seasonsAired }]);
      books.set(language, book);
    }
    return book;
  };
  let cursor: string | null = null;
  for (;;) {
    let query = deps.db
      .collectionGroup(TRACKING_COLLECTION)
      .where("showId", "==", showId)
      .orderBy(FieldPath.documentId())
      .limit(FOLLOWERS_PAGE);
    if (cursor) query = query.startAfter(cursor);
    const page = await query.get();
    const followers = page.docs.flatMap((doc) => {
      const uid = doc.ref.parent.parent?.id;
      if (!uid || doc.ref.parent.parent?.parent.id !== "users" || doc.id !== String(showId) || isHiddenStatus(doc.get("status"))) return [];
      return [uid];
    });
    // Each follower's language (CONTRACT §11): one batched read a page, one names load per language.
    const languages = await readLanguages(deps.db, followers);
    for (const uid of followers) {
      counts.followers++;
      const book = await namesIn(languages.get(uid) ?? DEFAULT_LANGUAGE);
      for (const episode of episodes) {
        const localized = { ...episode, name: book.episode(showId, episode.season, episode.episode, episode.name) };
        await alertFollower(deps, sender, uid, showId, book.show(showId, name) ?? name, localized, counts);
      }
    }
    if (page.size < FOLLOWERS_PAGE) break;
    cursor = page.docs[page.size - 1].ref.path;
  }
  for (const episode of episodes) {
    logEpisodeAlerts({ showId, season: episode.season, episode: episode.episode, ...counts, durationMs: Date.now() - started });
  }
  return counts;
}

async function alertFollower(
  deps: Pick<NightlyDeps, "db" | "clock">,
  sender: AlertSender,
  uid: string,
  showId: number,
  showName: string,
  episode: AiredEpisode,
  counts: AlertCounts,
): Promise<void> {
  const id = inboxId(showId, episode);
  try {
    await inboxCollection(deps.db, uid)
      .doc(id)
      .create({
        type: "newEpisode",
        showId,
        season: episode.season,
        episode: episode.episode,
        showName,
        episodeName: episode.name,
        airDate: episode.airDate,
        createdAt: Timestamp.fromDate(deps.clock()),
        read: false,
      });
  } catch (error) {
    if (isAlreadyExists(error)) return; // announced by an earlier (or concurrent) run: at most once
    throw error;
  }
  counts.notified++;
  const devices = await devicesCollection(deps.db, uid).get();
  const targets = devices.docs.filter((d) => typeof d.get("token") === "string");
  if (targets.length === 0) return;
  const code = `S${String(episode.season).padStart(2, "0")}E${String(episode.episode).padStart(2, "0")}`;
  const messages: AlertMessage[] = targets.map((d) => ({
    token: d.get("token") as string,
    title: showName,
    body: episode.name ? `${code} “${episode.name}” is out` : `${code} is out`,
    data: { type: "newEpisode", inboxId: id, showId: String(showId), season: String(episode.season), episode: String(episode.episode) },
  }));
  let deliveries;
  try {
    deliveries = await sender.send(messages);
  } catch (error) {
    // The inbox item stands (at most once); a push that could not be sent is not retried.
    logAlertSendFailed({
      uid,
      showId,
      season: episode.season,
      episode: episode.episode,
      code: (error as { code?: string }).code ?? "unknown",
    });
    return;
  }
  const invalid = targets.filter((_, i) => deliveries[i] && !deliveries[i].ok && (deliveries[i] as { invalidToken: boolean }).invalidToken);
  counts.messages += deliveries.filter((d) => d.ok).length;
  counts.invalidTokens += invalid.length;
  await pruneDevices(
    deps.db,
    uid,
    invalid.map((d) => d.id),
  );
}
