import { randomInt } from "node:crypto";
import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../app";
import { lostRace } from "../cache/lock";
import { logReactionCountsBehind, logReactionToggled } from "../logs";
import { DEFAULT_PUBLISH_OPTIONS, publishCounts, readCounts, type CountsSnapshot, type PublishOptions, type PublishOutcome } from "./aggregate";
import { planToggle, storedReactionType, type TogglePlan } from "./counts";
import { REACTION_COUNTER_SHARDS, reactionShardsCollection, userReactionRef, type EpisodeRef, type UserReactionDoc } from "./documents";
import { requireEpisode } from "./episode";
import type { ToggleReactionRequest, ToggleReactionResponse } from "./schemas";

export interface ToggleReactionResult {
  response: ToggleReactionResponse;
  /** How many times the transaction body ran (1 = no retry). */
  transactionAttempts: number;
  published: PublishOutcome;
}

/**
 * Adds, changes or removes the caller's reaction to an episode. The user's reaction document and one
 * counter shard change in one transaction, so they can never disagree; the shard is picked at random
 * and only incremented (never read), so concurrent reactions to one episode do not contend: the only
 * document the transaction reads is the caller's own. Afterwards the exact counts are summed from all
 * shards and published to `reaction_counts/{id}` (best effort: the reaction is already committed, so
 * a failure there is logged and the next toggle catches up; the shards stay exact).
 */
export async function toggleReaction(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  uid: string,
  { type, ...episode }: ToggleReactionRequest,
  publishOptions: PublishOptions = DEFAULT_PUBLISH_OPTIONS,
): Promise<ToggleReactionResult> {
  const started = Date.now();
  await requireEpisode(ctx.cache, episode);

  const { db } = ctx;
  const reactionRef = userReactionRef(db, uid, episode);
  let plan: TogglePlan;
  let transactionAttempts = 0;
  if (process.env.R8_BATCH) {
    for (;;) {
      transactionAttempts += 1;
      const snap = await reactionRef.get();
      plan = planToggle(storedReactionType(snap.data()), type);
      const batch = db.batch();
      const doc = { type: plan.next, updatedAt: Timestamp.fromDate(ctx.clock()) };
      if (!snap.exists) batch.create(reactionRef, doc);
      else if (plan.next) batch.update(reactionRef, doc, { lastUpdateTime: snap.updateTime as Timestamp });
      else batch.delete(reactionRef, { lastUpdateTime: snap.updateTime as Timestamp });
      const increments = Object.fromEntries(Object.entries(plan.delta).map(([t, d]) => [t, FieldValue.increment(d)]));
      batch.set(reactionShardsCollection(db, episode).doc(String(randomInt(REACTION_COUNTER_SHARDS))), increments, { merge: true });
      try {
        await batch.commit();
        break;
      } catch (error) {
        if (!lostRace(error) || transactionAttempts >= 10) throw error;
      }
    }
  } else {
  plan = await db.runTransaction(async (tx) => {
    transactionAttempts += 1;
    const current = storedReactionType((await tx.get(reactionRef)).data());
    const plan = planToggle(current, type);
    if (plan.next) tx.set(reactionRef, { type: plan.next, updatedAt: Timestamp.fromDate(ctx.clock()) } satisfies UserReactionDoc);
    else tx.delete(reactionRef);
    const increments = Object.fromEntries(Object.entries(plan.delta).map(([t, d]) => [t, FieldValue.increment(d)]));
    const shard = reactionShardsCollection(db, episode).doc(String(randomInt(REACTION_COUNTER_SHARDS)));
    tx.set(shard, increments, { merge: true });
    return plan;
  }, { maxAttempts: Number(process.env.R8_MAXATT ?? 5) });
  }
  if (process.env.R8_NOREAD) return { response: { action: plan.action, counts: {} as never }, transactionAttempts, published: { covered: true, wrote: false, attempts: 0 } };
  const snapshot = await readCounts(db, episode);
  const published = await publishBestEffort(db, episode, snapshot, publishOptions);
  logReactionToggled({ uid, ...episode, action: plan.action, transactionAttempts, publishAttempts: published.attempts, durationMs: Date.now() - started });

  const response: ToggleReactionResponse = { action: plan.action, counts: snapshot.counts };
  if (plan.next) response.type = plan.next;
  return { response, transactionAttempts, published };
}

/** The reaction is committed whatever happens here: a failure to publish is logged, never thrown. */
async function publishBestEffort(db: Firestore, episode: EpisodeRef, snapshot: CountsSnapshot, options: PublishOptions): Promise<PublishOutcome> {
  try {
    const outcome = await publishCounts(db, episode, snapshot, options);
    if (!outcome.covered) logReactionCountsBehind({ ...episode, reason: `still behind after ${outcome.attempts} attempts` });
    return outcome;
  } catch (error) {
    logReactionCountsBehind({ ...episode, reason: error instanceof Error ? error.message : String(error) });
    return { covered: false, wrote: false, attempts: 0 };
  }
}
