import type { CollectionReference, DocumentReference, Firestore, Timestamp } from "firebase-admin/firestore";
import type { ReactionCounts, ReactionType } from "./schemas";

/** The episode a reaction is about, show included (not `tracking/episodeKeys`' season/episode pair). */
export interface ReactionEpisode {
  showId: number;
  season: number;
  episode: number;
}

/**
 * Counter shards per episode. A Firestore document sustains about one write per second, so each
 * reaction increments one shard picked at random: 16 shards absorb a crowd of hundreds of reactions
 * a second in bursts, and reading them all for the aggregate stays one cheap query. Readers sum
 * every document of the `shards` collection, so this number can change without losing counts.
 */
export const REACTION_COUNTER_SHARDS = 16;

/** `users/{uid}/reactions/{showId}_{season}_{episode}` (docs/API.md: Firestore paths). */
export interface UserReactionDoc {
  type: ReactionType;
  updatedAt: Timestamp;
}

/**
 * `reaction_counts/{showId}_{season}_{episode}`: the exact counts as of `asOf`, brought up to date by
 * every toggle and written at most once a second (see `publishCounts`). The live truth is the sum of
 * its `shards` subcollection.
 */
export interface ReactionCountsDoc extends ReactionEpisode {
  counts: ReactionCounts;
  asOf: Timestamp;
}

export const reactionDocId = ({ showId, season, episode }: ReactionEpisode) => `${showId}_${season}_${episode}`;

export const userReactionsCollection = (db: Firestore, uid: string): CollectionReference =>
  db.collection("users").doc(uid).collection("reactions");
export const userReactionRef = (db: Firestore, uid: string, episode: ReactionEpisode): DocumentReference =>
  userReactionsCollection(db, uid).doc(reactionDocId(episode));

export const reactionCountsRef = (db: Firestore, episode: ReactionEpisode): DocumentReference =>
  db.collection("reaction_counts").doc(reactionDocId(episode));

/** `reaction_counts/{id}/shards/{n}`: `{ [type]: number }` (only the types ever written to it; may be negative). */
export const reactionShardsCollection = (db: Firestore, episode: ReactionEpisode): CollectionReference =>
  reactionCountsRef(db, episode).collection("shards");
