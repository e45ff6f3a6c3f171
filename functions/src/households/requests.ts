import type { AppContext } from "../shared/app";
import type { RateLimitPolicy } from "../security/rateLimit";
import { deleteAccountData, runDeletion } from "./accountDeletion";
import { cloudTasksDeletionQueue, type DeletionQueue } from "./deletionQueue";

/**
 * What the household entries share: the deletion queue (made on first use), how long a request deletes
 * before it hands the rest to the queue, and the invite-guessing budget.
 */
let queue: DeletionQueue | undefined;
export const deletionQueue = () => (queue ??= cloudTasksDeletionQueue());

/** What a request deletes itself before it answers: an ordinary account (thousands of documents) is gone by then. */
export const INLINE_DELETION_BUDGET_MS = 30_000;
/** The Auth trigger's share before the queue takes over. */
export const TRIGGER_DELETION_BUDGET_MS = 60_000;

/** Guessing invite codes: a handful of tries a minute is plenty for a person typing one. */
export const JOIN_HOUSEHOLD_RATE_LIMIT: RateLimitPolicy = { name: "householdJoin", perMinute: 5, burst: 10 };

/** Runs the open deletion jobs of these managed profiles as far as the request's budget goes. */
export async function purgeProfiles(ctx: AppContext, profileIds: readonly string[]): Promise<void> {
  for (const profileId of profileIds) await runDeletion(ctx, profileId, { queue: deletionQueue(), budgetMs: INLINE_DELETION_BUDGET_MS });
}

export async function deleteAccountFor(ctx: AppContext, uid: string, budgetMs = INLINE_DELETION_BUDGET_MS): Promise<void> {
  await deleteAccountData(ctx, uid, { queue: deletionQueue(), budgetMs });
}
