import { randomInt } from "node:crypto";
import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { lostRace } from "../shared/firestoreErrors";
import { resourceExhausted } from "../shared/errors";
import { logReactionCountsBehind, logReactionToggled } from "../shared/logs";
import {
  DEFAULT_PUBLISH_OPTIONS,
  publishCounts,
  readCounts,
  type CountsSnapshot,
  type PublishOptions,
  type PublishOutcome,
} from "./aggregate";
import { planSet, planToggle, storedReactionType, type SetPlan } from "./counts";
import {
  REACTION_COUNTER_SHARDS,
  reactionShardsCollection,
  userReactionRef,
  userReactionsCollection,
  type ReactionEpisode,
  type UserReactionDoc,
} from "./documents";
import { requireEpisode } from "../cache/requireEpisode";
import type { ReactionType, SetReactionRequest, SetReactionResponse, ToggleReactionRequest, ToggleReactionResponse } from "./schemas";

export interface ToggleReactionResult {
  response: ToggleReactionResponse;
  /** How many times the transaction ran (1 = no retry). */
  transactionAttempts: number;
  published: PublishOutcome;
}

/**
 * Adds, changes or removes the caller's reaction to an episode: the user's reaction document and one
 * counter shard change in one atomic commit, then the exact counts are summed from all shards for the
 * response and published to `reaction_counts/{id}` (best effort: the reaction is already committed,
 * so a failure there is logged and the next toggle catches up; the shards stay exact).
 */
export async function toggleReaction(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  uid: string,
  { type, ...episode }: ToggleReactionRequest,
  publishOptions: PublishOptions = DEFAULT_PUBLISH_OPTIONS,
): Promise<ToggleReactionResult> {
  const { plan, snapshot, attempts, published } = await applyReaction(
    ctx,
    uid,
    episode,
    (current) => planToggle(current, type),
    publishOptions,
  );
  // A toggle always changes something, so its plan is never "unchanged".
  const response: ToggleReactionResponse = { action: plan.action as ToggleReactionResponse["action"], counts: snapshot.counts };
  if (plan.next) response.type = plan.next;
  return { response, transactionAttempts: attempts, published };
}

export interface SetReactionResult {
  response: SetReactionResponse;
  transactionAttempts: number;
  published: PublishOutcome;
}

/**
 * Sets the caller's reaction to exactly `type` (`null` removes it): the retry-safe form of
 * `toggleReaction`, since a repeat finds the end state already there and changes nothing
 * (`action: "unchanged"`). Same commit and publishing as a toggle.
 */
export async function setReaction(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  uid: string,
  { type, ...episode }: SetReactionRequest,
  publishOptions: PublishOptions = DEFAULT_PUBLISH_OPTIONS,
): Promise<SetReactionResult> {
  const { plan, snapshot, attempts, published } = await applyReaction(
    ctx,
    uid,
    episode,
    (current) => planSet(current, type),
    publishOptions,
  );
  return { response: { action: plan.action, type: plan.next, counts: snapshot.counts }, transactionAttempts: attempts, published };
}

/** Checks the episode, commits the planned change (if any), then reads and publishes the counts. */
async function applyReaction(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  uid: string,
  episode: ReactionEpisode,
  planFor: (current: ReactionType | null) => SetPlan,
  publishOptions: PublishOptions,
): Promise<{ plan: SetPlan; attempts: number; snapshot: CountsSnapshot; published: PublishOutcome }> {
  const started = Date.now();
  await requireEpisode(ctx.cache, episode);
  const { plan, attempts } = await commitReaction(ctx, uid, episode, planFor);
  const snapshot = await readCounts(ctx.db, episode);
  const published = await publishBestEffort(ctx.db, episode, snapshot, publishOptions);
  logReactionToggled({
    uid,
    ...episode,
    action: plan.action,
    transactionAttempts: attempts,
    publishAttempts: published.attempts,
    durationMs: Date.now() - started,
  });
  return { plan, attempts, snapshot, published };
}

/** Only the same user toggling the same episode many times at once can exhaust this. */
const MAX_TRANSACTION_ATTEMPTS = 10;

/**
 * The user's reaction and one shard, in one optimistic transaction: the reaction document is read,
 * then a batch (one atomic commit) writes it on condition that it is still the version we read
 * (`create` when it was missing) and increments a shard picked at random. Shard increments commute,
 * so the shard is never read and concurrent reactions to one episode do not conflict; only the same
 * user's concurrent toggles do, and the loser re-reads and tries again. Unlike `runTransaction`,
 * nothing holds a read lock that others queue behind (in the emulator a crowd of read-locking
 * transactions convoys on the shards and aborts with lock timeouts).
 */
async function commitReaction(
  ctx: Pick<AppContext, "db" | "clock">,
  uid: string,
  episode: ReactionEpisode,
  planFor: (current: ReactionType | null) => SetPlan,
): Promise<{ plan: SetPlan; attempts: number }> {
  const { db } = ctx;
  const reactionRef = userReactionRef(db, uid, episode);
  for (let attempt = 1; attempt <= MAX_TRANSACTION_ATTEMPTS; attempt++) {
    const current = await reactionRef.get();
    const plan = planFor(storedReactionType(current.data()));
    if (plan.action === "unchanged") return { plan, attempts: attempt };
    const batch = db.batch();
    const version = { lastUpdateTime: current.updateTime as Timestamp };
    if (plan.next) {
      const doc: UserReactionDoc = { type: plan.next, updatedAt: Timestamp.fromDate(ctx.clock()) };
      if (current.exists) batch.update(reactionRef, { ...doc }, version);
      else batch.create(reactionRef, doc);
    } else batch.delete(reactionRef, version);
    const increments = Object.fromEntries(Object.entries(plan.delta).map(([t, d]) => [t, FieldValue.increment(d)]));
    batch.set(reactionShardsCollection(db, episode).doc(String(randomInt(REACTION_COUNTER_SHARDS))), increments, { merge: true });
    try {
      await batch.commit();
      return { plan, attempts: attempt };
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
  throw resourceExhausted("Too many simultaneous reaction changes by this user on this episode; try again");
}

/** The reaction is committed whatever happens here: a failure to publish is logged, never thrown. */
async function publishBestEffort(
  db: Firestore,
  episode: ReactionEpisode,
  snapshot: CountsSnapshot,
  options: PublishOptions,
): Promise<PublishOutcome> {
  try {
    const outcome = await publishCounts(db, episode, snapshot, options);
    if (!outcome.covered) logReactionCountsBehind({ ...episode, reason: `still behind after ${outcome.attempts} attempts` });
    return outcome;
  } catch (error) {
    logReactionCountsBehind({ ...episode, reason: error instanceof Error ? error.message : String(error) });
    return { covered: false, wrote: false, attempts: 0 };
  }
}

/**
 * Removes the user's reaction to an episode, and its count, when their data is deleted (CONTRACT §9).
 * No TMDB check: the episode was checked when the reaction was made. The same conditional commit as a
 * toggle, so a repeat (a retried deletion, two runners) finds nothing to remove and counts nothing twice.
 */
export async function clearReaction(ctx: Pick<AppContext, "db" | "clock">, uid: string, episode: ReactionEpisode): Promise<void> {
  const { plan } = await commitReaction(ctx, uid, episode, (current) => planSet(current, null));
  if (plan.action === "unchanged") return;
  await publishBestEffort(ctx.db, episode, await readCounts(ctx.db, episode), DEFAULT_PUBLISH_OPTIONS);
}

/**
 * Clears up to `limit` of a user's reactions (their data is being deleted): each through `clearReaction`,
 * so the counts lose it exactly once. A document whose id names no episode was never counted: it is
 * only deleted. Returns how many it cleared (fewer than `limit`: none are left).
 */
export async function clearUserReactions(ctx: Pick<AppContext, "db" | "clock">, uid: string, limit: number): Promise<number> {
  const page = await userReactionsCollection(ctx.db, uid).limit(limit).get();
  for (const doc of page.docs) {
    const match = /^(\d+)_(\d+)_(\d+)$/.exec(doc.id);
    const episode = match ? { showId: Number(match[1]), season: Number(match[2]), episode: Number(match[3]) } : null;
    if (episode && episode.showId > 0 && episode.episode > 0 && Number.isSafeInteger(episode.showId))
      await clearReaction(ctx, uid, episode);
    else await userReactionsCollection(ctx.db, uid).doc(doc.id).delete();
  }
  return page.size;
}
