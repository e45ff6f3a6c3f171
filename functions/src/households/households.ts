import { createHash, randomInt } from "node:crypto";
import { Timestamp, type DocumentSnapshot, type Firestore, type Transaction } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { AppError, failedPrecondition, invalidArgument, notFound } from "../shared/errors";
import { scheduleDeletion, deletionJobRef, type DeletionJobDoc } from "./deletionJobs";
import {
  householdRef,
  householdsCollection,
  INVITE_VALID_DAYS,
  invitesCollection,
  MANAGED_PROFILE_PREFIX,
  MAX_HOUSEHOLD_PROFILES,
  memberRef,
  membersCollection,
  membershipRef,
  profileRef,
  profilesCollection,
  type HouseholdDoc,
  type InviteDoc,
  type MemberDoc,
  type MembershipDoc,
  type ProfileDoc,
} from "./documents";
import { logHouseholdChanged } from "./logs";
import {
  INVITE_CODE_ALPHABET,
  type CreateHouseholdInviteResponse,
  type CreateHouseholdRequest,
  type CreateHouseholdResponse,
  type CreateProfileRequest,
  type CreateProfileResponse,
  type DeleteProfileRequest,
  type JoinHouseholdRequest,
  type JoinHouseholdResponse,
  type RemoveHouseholdMemberRequest,
} from "./schemas";

/**
 * Households, members, invites and managed profiles (CONTRACT §9). Every change is one transaction
 * over the household's documents and the members' `household_memberships` pointers, so "at most one
 * household", "single-use invite" and "at most 12 profiles" hold under concurrent calls, and the rules
 * (which read the pointer and the profile document) see access start and end at once.
 */
type Ctx = Pick<AppContext, "db" | "clock">;

/** A member's own profile has no name of their choosing in the contract: clients show the account's. */
const ACCOUNT_PROFILE_NAME = "Member";
const INVITE_CODE_LENGTH = 12;

const alreadyInHousehold = () => failedPrecondition("You are already in a household; leave it first");
const notInHousehold = (what: string) => failedPrecondition(`${what} needs a household: create or join one first`);

async function readMembership(tx: Transaction, db: Firestore, uid: string): Promise<MembershipDoc | undefined> {
  const data = (await tx.get(membershipRef(db, uid))).data() as MembershipDoc | undefined;
  return typeof data?.householdId === "string" ? data : undefined;
}

/** Writes a member, their account profile and their pointer: what joining means. */
function addMember(tx: Transaction, db: Firestore, householdId: string, uid: string, role: MemberDoc["role"], at: Timestamp): void {
  tx.set(memberRef(db, householdId, uid), { role, joinedAt: at } satisfies MemberDoc);
  tx.set(profileRef(db, householdId, uid), { name: ACCOUNT_PROFILE_NAME, kind: "account", createdAt: at } satisfies ProfileDoc);
  tx.set(membershipRef(db, uid), { householdId, role, joinedAt: at } satisfies MembershipDoc);
}

/** Deletes a member, their account profile and their pointer: their access ends with this commit. */
function dropMember(tx: Transaction, db: Firestore, householdId: string, uid: string): void {
  tx.delete(memberRef(db, householdId, uid));
  tx.delete(profileRef(db, householdId, uid));
  tx.delete(membershipRef(db, uid));
}

export async function createHousehold(ctx: Ctx, uid: string, { name }: CreateHouseholdRequest): Promise<CreateHouseholdResponse> {
  const household = householdsCollection(ctx.db).doc();
  await ctx.db.runTransaction(async (tx) => {
    if (await readMembership(tx, ctx.db, uid)) throw alreadyInHousehold();
    const at = Timestamp.fromDate(ctx.clock());
    tx.create(household, { name, ownerUid: uid, createdAt: at } satisfies HouseholdDoc);
    addMember(tx, ctx.db, household.id, uid, "owner", at);
  });
  logHouseholdChanged({ uid, householdId: household.id, action: "created" });
  return { householdId: household.id };
}

/** Invite codes are typed in: upper case, no dashes, as the request schema normalises them. */
export const hashInviteCode = (code: string) => createHash("sha256").update(code, "utf8").digest("hex");

export async function createHouseholdInvite(ctx: Ctx, uid: string): Promise<CreateHouseholdInviteResponse> {
  const membership = (await membershipRef(ctx.db, uid).get()).data() as MembershipDoc | undefined;
  if (!membership?.householdId) throw notInHousehold("createHouseholdInvite");
  // 32^12 = 2^60 codes: with the per-user rate limit on joinHousehold, guessing a live one is hopeless.
  const code = Array.from({ length: INVITE_CODE_LENGTH }, () => INVITE_CODE_ALPHABET[randomInt(INVITE_CODE_ALPHABET.length)]).join("");
  const now = ctx.clock();
  const expiresAt = new Date(now.getTime() + INVITE_VALID_DAYS * 24 * 60 * 60 * 1000);
  const invite: InviteDoc = {
    householdId: membership.householdId,
    createdBy: uid,
    createdAt: Timestamp.fromDate(now),
    expiresAt: Timestamp.fromDate(expiresAt),
    usedBy: null,
    usedAt: null,
  };
  await invitesCollection(ctx.db).doc(hashInviteCode(code)).create(invite);
  logHouseholdChanged({ uid, householdId: membership.householdId, action: "invited" });
  return { code: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`, expiresAt: expiresAt.toISOString() };
}

export async function joinHousehold(ctx: Ctx, uid: string, { code }: JoinHouseholdRequest): Promise<JoinHouseholdResponse> {
  const inviteRef = invitesCollection(ctx.db).doc(hashInviteCode(code));
  const unknownCode = () => notFound("code: unknown, used or expired invite code");
  // One transaction: of two people racing with one code, the second re-reads the invite as used.
  const householdId = await ctx.db.runTransaction(async (tx) => {
    const invite = (await tx.get(inviteRef)).data() as InviteDoc | undefined;
    const membership = await readMembership(tx, ctx.db, uid);
    const now = ctx.clock();
    if (!invite || invite.expiresAt.toMillis() <= now.getTime()) throw unknownCode();
    // The same member sending the same code again (a lost answer): the answer it had.
    if (invite.usedBy === uid && membership?.householdId === invite.householdId) return invite.householdId;
    if (invite.usedBy !== null) throw unknownCode();
    if (membership) throw alreadyInHousehold();
    const household = await tx.get(householdRef(ctx.db, invite.householdId));
    if (!household.exists) throw unknownCode();
    const profiles = await tx.get(profilesCollection(ctx.db, invite.householdId).select());
    if (profiles.size >= MAX_HOUSEHOLD_PROFILES) throw failedPrecondition(`The household already has ${MAX_HOUSEHOLD_PROFILES} profiles`);
    const at = Timestamp.fromDate(now);
    tx.update(inviteRef, { usedBy: uid, usedAt: at });
    addMember(tx, ctx.db, invite.householdId, uid, "member", at);
    return invite.householdId;
  });
  logHouseholdChanged({ uid, householdId, action: "joined" });
  return { householdId };
}

export interface LeaveResult {
  householdId: string | null;
  /** Managed profiles whose data is now to be deleted (their deletion jobs are open): the household ended. */
  purge: string[];
}

/**
 * Leaves the caller's household. The owner cannot leave while others remain (`failed-precondition`),
 * except when their account is being deleted: ownership then passes to the longest-standing member.
 * The last member leaving deletes the household, its invites and its managed profiles, and opens a
 * deletion job for each managed profile's data (run by the caller: see `accountDeletion.ts`).
 * Not being in a household is a no-op, so a retry answers as the first call did.
 */
export async function leaveHousehold(ctx: Ctx, uid: string, options: { accountDeleted?: boolean } = {}): Promise<LeaveResult> {
  const { db } = ctx;
  const result = await db.runTransaction(async (tx): Promise<LeaveResult> => {
    const membership = await readMembership(tx, db, uid);
    if (!membership) return { householdId: null, purge: [] };
    const { householdId } = membership;
    const household = (await tx.get(householdRef(db, householdId))).data() as HouseholdDoc | undefined;
    const members = await tx.get(membersCollection(db, householdId));
    const others = members.docs.filter((doc) => doc.id !== uid);
    if (others.length > 0) {
      if (household?.ownerUid === uid) {
        if (!options.accountDeleted)
          throw failedPrecondition("The owner cannot leave while others remain: remove them first (removeHouseholdMember)");
        const heir = [...others].sort(byJoinedAt)[0] as DocumentSnapshot;
        tx.update(householdRef(db, householdId), { ownerUid: heir.id });
        tx.update(memberRef(db, householdId, heir.id), { role: "owner" });
        tx.update(membershipRef(db, heir.id), { role: "owner" });
      }
      dropMember(tx, db, householdId, uid);
      return { householdId, purge: [] };
    }
    // The last member: the household ends, with its profiles and invites.
    const profiles = await tx.get(profilesCollection(db, householdId));
    const invites = await tx.get(invitesCollection(db).where("householdId", "==", householdId).select());
    const purge = profiles.docs.filter((doc) => (doc.data() as ProfileDoc).kind === "managed").map((doc) => doc.id);
    const now = ctx.clock();
    for (const profileId of purge) scheduleDeletion(tx, db, profileId, "profile", now, householdId);
    for (const doc of profiles.docs) tx.delete(profileRef(db, householdId, doc.id));
    for (const doc of invites.docs) tx.delete(invitesCollection(db).doc(doc.id));
    dropMember(tx, db, householdId, uid);
    tx.delete(householdRef(db, householdId));
    return { householdId, purge };
  });
  if (result.householdId)
    logHouseholdChanged({ uid, householdId: result.householdId, action: result.purge.length ? "left, household ended" : "left" });
  return result;
}

const byJoinedAt = (a: DocumentSnapshot, b: DocumentSnapshot) =>
  ((a.get("joinedAt") as Timestamp | undefined)?.toMillis() ?? 0) - ((b.get("joinedAt") as Timestamp | undefined)?.toMillis() ?? 0) ||
  (a.id < b.id ? -1 : 1);

export async function removeHouseholdMember(ctx: Ctx, caller: string, { uid }: RemoveHouseholdMemberRequest): Promise<void> {
  if (uid === caller) throw invalidArgument("uid: to leave your household, use leaveHousehold");
  const { db } = ctx;
  const householdId = await db.runTransaction(async (tx) => {
    const membership = await readMembership(tx, db, caller);
    const household = membership && ((await tx.get(householdRef(db, membership.householdId))).data() as HouseholdDoc | undefined);
    if (!membership || household?.ownerUid !== caller)
      throw new AppError("permission-denied", "Only the household's owner may remove members");
    const member = await tx.get(memberRef(db, membership.householdId, uid));
    if (!member.exists) throw notFound("uid: not a member of your household");
    dropMember(tx, db, membership.householdId, uid);
    return membership.householdId;
  });
  logHouseholdChanged({ uid: caller, householdId, action: "removed a member" });
}

export async function createProfile(ctx: Ctx, uid: string, { name }: CreateProfileRequest): Promise<CreateProfileResponse> {
  const { db } = ctx;
  const profileId = `${MANAGED_PROFILE_PREFIX}${db.collection("households").doc().id}`;
  const householdId = await db.runTransaction(async (tx) => {
    const membership = await readMembership(tx, db, uid);
    if (!membership) throw notInHousehold("createProfile");
    const profiles = await tx.get(profilesCollection(db, membership.householdId).select());
    if (profiles.size >= MAX_HOUSEHOLD_PROFILES) throw failedPrecondition(`A household has at most ${MAX_HOUSEHOLD_PROFILES} profiles`);
    const profile: ProfileDoc = { name, kind: "managed", createdAt: Timestamp.fromDate(ctx.clock()) };
    tx.create(profileRef(db, membership.householdId, profileId), profile);
    return membership.householdId;
  });
  logHouseholdChanged({ uid, householdId, action: "created a profile", profileId });
  return { profileId };
}

/**
 * Deletes a managed profile of the caller's household and opens the deletion job for its data (run by
 * the caller). Anything else is `permission-denied`, whether it exists or not; a repeat of a deletion
 * this household asked for answers as the first call did.
 */
export async function deleteProfile(ctx: Ctx, uid: string, { profileId }: DeleteProfileRequest): Promise<string> {
  const { db } = ctx;
  const denied = () => new AppError("permission-denied", "profileId: not a managed profile of your household");
  const householdId = await db.runTransaction(async (tx) => {
    const membership = await readMembership(tx, db, uid);
    if (!membership) throw denied();
    const ref = profileRef(db, membership.householdId, profileId);
    const profile = (await tx.get(ref)).data() as ProfileDoc | undefined;
    const job = (await tx.get(deletionJobRef(db, profileId))).data() as DeletionJobDoc | undefined;
    if (profile?.kind !== "managed") {
      if (job?.kind === "profile" && job.householdId === membership.householdId) return membership.householdId;
      throw denied();
    }
    tx.delete(ref);
    scheduleDeletion(tx, db, profileId, "profile", ctx.clock(), membership.householdId);
    return membership.householdId;
  });
  logHouseholdChanged({ uid, householdId, action: "deleted a profile", profileId });
  return profileId;
}
