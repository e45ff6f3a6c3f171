import type { DocumentReference, Firestore, Timestamp } from "firebase-admin/firestore";

/**
 * The household documents (CONTRACT §9), written only here (the Admin SDK; rules deny clients):
 *
 * - `households/{householdId}` `{ name, ownerUid, createdAt }`
 * - `households/{householdId}/members/{uid}` `{ role, joinedAt }`
 * - `households/{householdId}/profiles/{profileId}` `{ name, kind, createdAt }`: a member's own
 *   (`account`, id = uid) or a managed one (`managed`, a generated id, no login)
 * - `household_memberships/{uid}` `{ householdId, role, joinedAt }`: the member's pointer to their household,
 *   so "which household is this user in" is one read (for callables and the rules' one `get()`), and
 *   "at most one household" is one document a transaction can check.
 * - `household_invites/{sha256(code)}` `{ householdId, createdBy, createdAt, expiresAt, usedBy, usedAt }`:
 *   the code itself is never stored.
 *
 * Members, profiles and the pointer change together in one transaction, so rules that read the pointer
 * and a profile document see a member's access start and end at once.
 */
export const MAX_HOUSEHOLD_PROFILES = 12;
export const INVITE_VALID_DAYS = 7;

export type MemberRole = "owner" | "member";
export type ProfileKind = "account" | "managed";

export interface HouseholdDoc {
  name: string;
  ownerUid: string;
  createdAt: Timestamp;
}
export interface MemberDoc {
  role: MemberRole;
  joinedAt: Timestamp;
}
export interface ProfileDoc {
  name: string;
  kind: ProfileKind;
  createdAt: Timestamp;
}
export interface MembershipDoc {
  householdId: string;
  role: MemberRole;
  joinedAt: Timestamp;
}
export interface InviteDoc {
  householdId: string;
  createdBy: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  usedBy: string | null;
  usedAt: Timestamp | null;
}

export const householdsCollection = (db: Firestore) => db.collection("households");
export const householdRef = (db: Firestore, householdId: string) => householdsCollection(db).doc(householdId);
export const membersCollection = (db: Firestore, householdId: string) => householdRef(db, householdId).collection("members");
export const memberRef = (db: Firestore, householdId: string, uid: string) => membersCollection(db, householdId).doc(uid);
export const profilesCollection = (db: Firestore, householdId: string) => householdRef(db, householdId).collection("profiles");
export const profileRef = (db: Firestore, householdId: string, profileId: string) => profilesCollection(db, householdId).doc(profileId);
export const membershipRef = (db: Firestore, uid: string): DocumentReference => db.collection("household_memberships").doc(uid);
export const invitesCollection = (db: Firestore) => db.collection("household_invites");

/** Managed profile ids start with this, so a tree under `users/` tells at a glance whose it is (a login or a profile). */
export const MANAGED_PROFILE_PREFIX = "profile_";
