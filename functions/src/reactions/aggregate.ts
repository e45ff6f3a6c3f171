import type { Firestore, Timestamp } from "firebase-admin/firestore";
import { lostRace } from "../shared/firestoreErrors";
import { sumShards } from "./counts";
import { reactionCountsRef, reactionShardsCollection, type ReactionEpisode, type ReactionCountsDoc } from "./documents";
import type { ReactionCounts } from "./schemas";

/** Exact counts, summed from every shard in one consistent query read at `readTime`. */
export interface CountsSnapshot {
  counts: ReactionCounts;
  readTime: Timestamp;
}

export async function readCounts(db: Firestore, episode: ReactionEpisode): Promise<CountsSnapshot> {
  const shards = await reactionShardsCollection(db, episode).get();
  return { counts: sumShards(shards.docs.map((doc) => doc.data())), readTime: shards.readTime };
}

export interface PublishOptions {
  /** The aggregate document is written at most once per interval (Firestore: ~1 write/s per document). */
  minIntervalMs: number;
  maxAttempts: number;
}

export const DEFAULT_PUBLISH_OPTIONS: PublishOptions = { minIntervalMs: 1000, maxAttempts: 6 };

export interface PublishOutcome {
  /** True when `reaction_counts/{id}` now holds counts read at or after `since.readTime`. */
  covered: boolean;
  wrote: boolean;
  attempts: number;
}

/**
 * Brings the aggregate in `reaction_counts/{id}` up to at least the snapshot `since` (read after the
 * caller's own change committed), so a client reading that document after a toggle sees its change.
 *
 * - No transaction, so it never holds a lock that the shards' writers wait on: each write is
 *   conditioned on the exact version of the aggregate we read and only ever moves `asOf` forward,
 *   so every published `counts` is an exact snapshot of the shards and never an older one.
 * - At most one write per `minIntervalMs`: when the aggregate was written more recently, we wait for
 *   the interval to pass (plus jitter, so a crowd does not wake at once). Whoever publishes first
 *   then reads the shards afresh and covers everybody who committed before it, so the rest find the
 *   aggregate already covers them and write nothing. When nobody else is reacting there is no wait.
 */
export async function publishCounts(
  db: Firestore,
  episode: ReactionEpisode,
  since: CountsSnapshot,
  options: PublishOptions = DEFAULT_PUBLISH_OPTIONS,
): Promise<PublishOutcome> {
  const ref = reactionCountsRef(db, episode);
  let snapshot: CountsSnapshot | null = since;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const aggregate = await ref.get();
    const asOf = aggregate.exists ? (aggregate.get("asOf") as Timestamp | undefined) : undefined;
    // Timestamp.valueOf() is an order-preserving string, meant for exactly this comparison.
    if (asOf && asOf.valueOf() >= since.readTime.valueOf()) return { covered: true, wrote: false, attempts: attempt };

    const waitMs = aggregate.exists ? (aggregate.updateTime as Timestamp).toMillis() + options.minIntervalMs - Date.now() : 0;
    if (waitMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, waitMs + Math.random() * options.minIntervalMs * 0.25));
      snapshot = null;
      continue;
    }
    // A snapshot read now covers every change committed so far, not just ours.
    snapshot ??= await readCounts(db, episode);
    const data: ReactionCountsDoc = { ...episodeFields(episode), counts: snapshot.counts, asOf: snapshot.readTime };
    try {
      if (aggregate.exists) await ref.update({ ...data }, { lastUpdateTime: aggregate.updateTime as Timestamp });
      else await ref.create(data);
      return { covered: true, wrote: true, attempts: attempt };
    } catch (error) {
      if (!lostRace(error)) throw error;
      snapshot = null;
    }
  }
  return { covered: false, wrote: false, attempts: options.maxAttempts };
}

const episodeFields = ({ showId, season, episode }: ReactionEpisode): ReactionEpisode => ({ showId, season, episode });
