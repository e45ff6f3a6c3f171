import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { clearUserReactions } from "../reactions/toggleReaction";
import { deleteRateLimits } from "../security/rateLimit";
import { deleteAllWebhooks } from "../webhooks/secrets";
import { deletionJobRef, DELETION_PHASES, scheduleDeletion, type DeletionJobDoc, type DeletionPhase } from "./deletionJobs";
import type { DeletionQueue, DeletionTask } from "./deletionQueue";
import { leaveHousehold } from "./households";
import { logDeletionProgress } from "./logs";
import { deleteSocialAccountData } from "../social/deleteAccount";

/**
 * Deleting an account (`deleteAccount`, the Auth user's deletion) or a managed profile's data
 * (CONTRACT §9): everything under `users/{ownerId}` at any depth, the owner's reactions from
 * `reaction_counts`, their webhook secrets, their household membership (as leaving; the last member
 * ends the household and its managed profiles' data is deleted the same way), and what other domains
 * hold for an account (`ACCOUNT_DATA_CLEANERS`, §10).
 *
 * A 60,000-play account does not fit one request: the work is a job (`deletionJobs.ts`) run in bounded
 * chunks, each idempotent, with its phase and cursor saved after each. A request runs chunks until its
 * time budget, then hands the rest to the `accountDeletionTasks` queue; a run that dies midway is taken
 * up by the queue's retry (or a repeated request) from the saved cursor. Two runners at once (a retry
 * beside a live run) only repeat idempotent steps.
 */

/**
 * §10's extension point: each cleaner removes what its domain keeps for an account outside `users/{uid}`
 * (public profile and handle, friendships, requests, blocks). Called for accounts only, once per
 * deletion and again on a retry, so a cleaner must be idempotent.
 */
export type AccountDataCleaner = (ctx: AppContext, uid: string) => Promise<void>;
export const ACCOUNT_DATA_CLEANERS: AccountDataCleaner[] = [
  async (ctx, uid) => {
    await deleteSocialAccountData(ctx.db, uid);
  },
];

export interface DeletionOptions {
  queue: DeletionQueue;
  /** How long this invocation runs chunks before it hands the rest to the queue. */
  budgetMs: number;
  /** Default ACCOUNT_DATA_CLEANERS. */
  cleaners?: readonly AccountDataCleaner[];
  /** Documents deleted per chunk (default 500: one BulkWriter batch's worth of work). */
  chunkSize?: number;
  /** Tests only: called after each chunk is saved, so a test can end a run there as a crash would. */
  afterChunk?: (job: { ownerId: string; phase: DeletionPhase; deletedDocs: number }) => Promise<void> | void;
}

const DEFAULT_CHUNK = 500;

/** Opens the deletion of an account and runs it as far as the budget goes. `done` once nothing is left. */
export async function deleteAccountData(ctx: AppContext, uid: string, options: DeletionOptions): Promise<{ done: boolean }> {
  await ctx.db.runTransaction(async (tx) => scheduleDeletion(tx, ctx.db, uid, "account", ctx.clock()));
  return runDeletion(ctx, uid, options);
}

/**
 * Runs an open deletion job for `ownerId` from where it stands until it is done or the budget is spent;
 * then enqueues its continuation. A job that is done (or missing) is a no-op: a stale task changes nothing.
 */
export async function runDeletion(ctx: AppContext, ownerId: string, options: DeletionOptions, step = 0): Promise<{ done: boolean }> {
  const started = Date.now();
  const { db } = ctx;
  const jobRef = deletionJobRef(db, ownerId);
  const snapshot = await jobRef.get();
  if (!snapshot.exists) return { done: true };
  const job = snapshot.data() as DeletionJobDoc;
  let { phase, cursor } = job;
  let deletedDocs = job.deletedDocs ?? 0;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;

  const save = async (deleted: number) => {
    deletedDocs += deleted;
    await jobRef.update({
      phase,
      cursor,
      deletedDocs: FieldValue.increment(deleted),
      updatedAt: Timestamp.fromDate(ctx.clock()),
      ...(phase === "done" ? { finishedAt: Timestamp.fromDate(ctx.clock()) } : {}),
    });
    await options.afterChunk?.({ ownerId, phase, deletedDocs });
  };
  const next = (current: DeletionPhase) => DELETION_PHASES[DELETION_PHASES.indexOf(current) + 1] as DeletionPhase;

  // Every run does at least one chunk before it looks at its budget, so a continuation always moves on.
  for (let first = true; phase !== "done"; first = false) {
    if (!first && Date.now() - started > options.budgetMs) {
      await options.queue.enqueue({ ownerId, generation: job.generation, step: step + 1 } satisfies DeletionTask);
      logDeletionProgress({ ownerId, kind: job.kind, phase, deletedDocs, done: false, durationMs: Date.now() - started });
      return { done: false };
    }
    let deleted = 0;
    switch (phase) {
      case "household": {
        const { purge } = await leaveHousehold(ctx, ownerId, { accountDeleted: true });
        phase = next(phase);
        await save(0);
        // The household ended with this account: its managed profiles' data goes too, each its own job.
        for (const profileId of purge) {
          const remaining = Math.max(0, options.budgetMs - (Date.now() - started));
          await runDeletion(ctx, profileId, { ...options, budgetMs: remaining });
        }
        continue;
      }
      case "reactions": {
        deleted = await clearUserReactions(ctx, ownerId, chunkSize);
        if (deleted < chunkSize) phase = next(phase);
        break;
      }
      case "webhooks": {
        deleted = await deleteAllWebhooks(db, ownerId);
        phase = next(phase);
        break;
      }
      case "cleaners": {
        if (job.kind === "account") for (const clean of options.cleaners ?? ACCOUNT_DATA_CLEANERS) await clean(ctx, ownerId);
        phase = next(phase);
        break;
      }
      case "tree": {
        const chunk = await deleteTreeChunk(db, ownerId, cursor, chunkSize);
        deleted = chunk.deleted;
        cursor = chunk.cursor;
        if (chunk.finished) {
          await deleteRateLimits(db, ownerId);
          phase = next(phase);
        }
        break;
      }
    }
    await save(deleted);
  }
  logDeletionProgress({ ownerId, kind: job.kind, phase, deletedDocs, done: true, durationMs: Date.now() - started });
  return { done: true };
}

/**
 * One chunk of `users/{ownerId}`: up to `chunkSize` documents of one subcollection, in id order after the
 * cursor (a cursor, not "the first N left", so a chunk never scans the tombstones of the ones before).
 * When every subcollection is through, one recursive delete takes what is left at any depth (an import's
 * parts and job state, anything written meanwhile) and the user document itself.
 */
async function deleteTreeChunk(
  db: Firestore,
  ownerId: string,
  cursor: DeletionJobDoc["cursor"],
  chunkSize: number,
): Promise<{ deleted: number; cursor: DeletionJobDoc["cursor"]; finished: boolean }> {
  const user = db.collection("users").doc(ownerId);
  const collections = (await user.listCollections()).map((c) => c.id).sort();
  const collection = collections.find((id) => !cursor || id >= cursor.collection);
  if (collection === undefined) {
    let deleted = 0;
    const writer = db.bulkWriter();
    writer.onWriteResult(() => void deleted++);
    await db.recursiveDelete(user, writer);
    return { deleted, cursor: null, finished: true };
  }
  // A snapshot of the last deleted document (missing, which a cursor allows) orders the query by id after it.
  const last =
    cursor && cursor.collection === collection && cursor.after ? await user.collection(collection).doc(cursor.after).get() : null;
  const query = last ? user.collection(collection).limit(chunkSize).startAfter(last) : user.collection(collection).limit(chunkSize);
  const page = await query.select().get();
  const writer = db.bulkWriter();
  const deletes = page.docs.map((doc) => writer.delete(doc.ref));
  await Promise.all([...deletes, writer.close()]);
  if (page.size < chunkSize) {
    // This subcollection is through: the next one (by id) starts at its beginning; after the last, the sweep.
    const following = collections.find((id) => id > collection);
    return { deleted: page.size, cursor: { collection: following ?? "\uffff", after: "" }, finished: false };
  }
  return { deleted: page.size, cursor: { collection, after: page.docs[page.size - 1]?.id ?? "" }, finished: false };
}
