import { z } from "zod";
import { isoTimestampSchema, profileIdSchema } from "../shared/validation";

/** Households and profiles (CONTRACT §9). */
const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 32), "must not contain control characters");

/** Invite codes as `createHouseholdInvite` answers them: 12 characters of an unambiguous alphabet, grouped by dashes. */
export const INVITE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const inviteCodeSchema = z
  .string()
  .max(64)
  // Typed by hand: case, spaces and dashes do not matter.
  .transform((code) => code.toUpperCase().replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^[A-Z2-9]{12}$/, "must be an invite code from createHouseholdInvite"));

export const createHouseholdRequestSchema = z.object({ name: nameSchema });
export const createHouseholdResponseSchema = z.object({ householdId: z.string() });

export const createHouseholdInviteRequestSchema = z.object({});
export const createHouseholdInviteResponseSchema = z.object({
  /** Shown once: only its hash is stored. Single use. */
  code: z.string(),
  expiresAt: isoTimestampSchema,
});

export const joinHouseholdRequestSchema = z.object({ code: inviteCodeSchema });
export const joinHouseholdResponseSchema = z.object({ householdId: z.string() });

export const leaveHouseholdRequestSchema = z.object({});
export const leaveHouseholdResponseSchema = z.object({ left: z.literal(true) });

export const removeHouseholdMemberRequestSchema = z.object({ uid: profileIdSchema });
export const removeHouseholdMemberResponseSchema = z.object({ removed: z.literal(true) });

export const createProfileRequestSchema = z.object({ name: nameSchema });
export const createProfileResponseSchema = z.object({ profileId: z.string() });

export const deleteProfileRequestSchema = z.object({ profileId: profileIdSchema });
export const deleteProfileResponseSchema = z.object({ deleted: z.literal(true) });

export const deleteAccountRequestSchema = z.object({});
export const deleteAccountResponseSchema = z.object({ deleted: z.literal(true) });

export type CreateHouseholdRequest = z.infer<typeof createHouseholdRequestSchema>;
export type CreateHouseholdResponse = z.infer<typeof createHouseholdResponseSchema>;
export type CreateHouseholdInviteResponse = z.infer<typeof createHouseholdInviteResponseSchema>;
export type JoinHouseholdRequest = z.infer<typeof joinHouseholdRequestSchema>;
export type JoinHouseholdResponse = z.infer<typeof joinHouseholdResponseSchema>;
export type RemoveHouseholdMemberRequest = z.infer<typeof removeHouseholdMemberRequestSchema>;
export type CreateProfileRequest = z.infer<typeof createProfileRequestSchema>;
export type CreateProfileResponse = z.infer<typeof createProfileResponseSchema>;
export type DeleteProfileRequest = z.infer<typeof deleteProfileRequestSchema>;
