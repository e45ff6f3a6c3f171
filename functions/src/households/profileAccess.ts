import type { Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors";
import { membershipRef, profileRef, type MembershipDoc, type ProfileDoc } from "./documents";

/**
 * Whose data a caller may act on (CONTRACT §9): their own (their uid), or a managed profile of their
 * household. Another member's account, another household's profile, or an id that exists nowhere are
 * all the same `permission-denied`, with the same message, so the answer says nothing about existence.
 * Called by `defineCallable` only: no domain authorises profiles itself.
 */
export async function authorizeProfiles(db: Firestore, callerUid: string, profileIds: readonly string[]): Promise<void> {
  const others = [...new Set(profileIds)].filter((id) => id !== callerUid);
  if (others.length === 0) return;
  const membership = await membershipRef(db, callerUid).get();
  const householdId = (membership.data() as MembershipDoc | undefined)?.householdId;
  if (typeof householdId !== "string") throw denied();
  const profiles = await db.getAll(...others.map((id) => profileRef(db, householdId, id)));
  if (!profiles.every((profile) => (profile.data() as ProfileDoc | undefined)?.kind === "managed")) throw denied();
}

const denied = () => new AppError("permission-denied", "profileId: not a profile you may act on");
