import type { AppContext } from "../app";
import { deleteAccountData, runDeletion } from "../households/accountDeletion";
import { cloudTasksDeletionQueue, type DeletionQueue } from "../households/deletionQueue";
import {
  createHousehold,
  createHouseholdInvite,
  createProfile,
  deleteProfile,
  joinHousehold,
  leaveHousehold,
  removeHouseholdMember,
} from "../households/households";
import {
  createHouseholdInviteRequestSchema,
  createHouseholdRequestSchema,
  createProfileRequestSchema,
  deleteAccountRequestSchema,
  deleteProfileRequestSchema,
  joinHouseholdRequestSchema,
  leaveHouseholdRequestSchema,
  removeHouseholdMemberRequestSchema,
} from "../households/schemas";
import type { RateLimitPolicy } from "../security/rateLimit";
import { defineCallable } from "./defineCallable";

let queue: DeletionQueue | undefined;
const deletionQueue = () => (queue ??= cloudTasksDeletionQueue());

/**
 * What a request deletes itself before it answers; the rest goes on the queue. An ordinary account
 * (thousands of documents) is gone when `deleteAccount` answers.
 */
export const INLINE_DELETION_BUDGET_MS = 30_000;

/** Guessing invite codes: a handful of tries a minute is plenty for a person typing one. */
export const JOIN_HOUSEHOLD_RATE_LIMIT: RateLimitPolicy = { name: "householdJoin", perMinute: 5, burst: 10 };

const purge = async (ctx: AppContext, profileIds: readonly string[]) => {
  for (const profileId of profileIds) await runDeletion(ctx, profileId, { queue: deletionQueue(), budgetMs: INLINE_DELETION_BUDGET_MS });
};

export const createHouseholdCallable = defineCallable({
  name: "createHousehold",
  tmdb: false,
  schema: createHouseholdRequestSchema,
  handler: (ctx, uid, data) => createHousehold(ctx, uid, data),
});

export const createHouseholdInviteCallable = defineCallable({
  name: "createHouseholdInvite",
  tmdb: false,
  schema: createHouseholdInviteRequestSchema,
  handler: (ctx, uid) => createHouseholdInvite(ctx, uid),
});

export const joinHouseholdCallable = defineCallable({
  name: "joinHousehold",
  tmdb: false,
  schema: joinHouseholdRequestSchema,
  rateLimit: JOIN_HOUSEHOLD_RATE_LIMIT,
  handler: (ctx, uid, data) => joinHousehold(ctx, uid, data),
});

export const leaveHouseholdCallable = defineCallable({
  name: "leaveHousehold",
  tmdb: false,
  schema: leaveHouseholdRequestSchema,
  handler: async (ctx, uid) => {
    await purge(ctx, (await leaveHousehold(ctx, uid)).purge);
    return { left: true as const };
  },
  options: { timeoutSeconds: 120 },
});

export const removeHouseholdMemberCallable = defineCallable({
  name: "removeHouseholdMember",
  tmdb: false,
  schema: removeHouseholdMemberRequestSchema,
  handler: async (ctx, uid, data) => {
    await removeHouseholdMember(ctx, uid, data);
    return { removed: true as const };
  },
});

export const createProfileCallable = defineCallable({
  name: "createProfile",
  tmdb: false,
  schema: createProfileRequestSchema,
  handler: (ctx, uid, data) => createProfile(ctx, uid, data),
});

export const deleteProfileCallable = defineCallable({
  name: "deleteProfile",
  tmdb: false,
  schema: deleteProfileRequestSchema,
  handler: async (ctx, uid, data) => {
    await purge(ctx, [await deleteProfile(ctx, uid, data)]);
    return { deleted: true as const };
  },
  options: { timeoutSeconds: 120 },
});

export const deleteAccountCallable = defineCallable({
  name: "deleteAccount",
  tmdb: false,
  schema: deleteAccountRequestSchema,
  handler: async (ctx, uid) => {
    await deleteAccountData(ctx, uid, { queue: deletionQueue(), budgetMs: INLINE_DELETION_BUDGET_MS });
    return { deleted: true as const };
  },
  options: { timeoutSeconds: 120 },
});
