import { Timestamp } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { AppError } from "../shared/errors";
import { handleRef, publicProfileRef, type HandleDoc, type PublicProfileDoc } from "./documents";
import { logPublicProfileSet } from "./logs";
import type { SetPublicProfileRequest, SetPublicProfileResponse } from "./schemas";

/**
 * Sets the caller's public profile. The handle is reserved at `handles/{lowercased}` in the same
 * transaction that writes the profile, so two users asking for `Alice` and `alice` at once cannot both
 * get it; a renamed handle's reservation is released in that transaction too.
 */
export async function setPublicProfile(
  ctx: Pick<AppContext, "db" | "clock">,
  uid: string,
  { handle, displayName }: SetPublicProfileRequest,
): Promise<SetPublicProfileResponse> {
  const started = Date.now();
  const { db } = ctx;
  const profileRef = publicProfileRef(db, uid);
  const wantedRef = handleRef(db, handle);
  const renamed = await db.runTransaction(async (tx) => {
    const [profileSnap, wantedSnap] = await tx.getAll(profileRef, wantedRef);
    const owner = (wantedSnap.data() as HandleDoc | undefined)?.uid;
    if (owner !== undefined && owner !== uid) throw new AppError("already-exists", `handle: ${handle} is taken`);
    const previous = profileSnap.data() as PublicProfileDoc | undefined;
    const renaming = previous !== undefined && handleRef(db, previous.handle).id !== wantedRef.id;
    if (renaming) {
      // Release the old handle only if it is still ours (a data repair could have moved it).
      const previousRef = handleRef(db, previous.handle);
      const previousSnap = await tx.get(previousRef);
      if ((previousSnap.data() as HandleDoc | undefined)?.uid === uid) tx.delete(handleRef(db, previous.handle));
    }
    if (owner === undefined) tx.create(wantedRef, { uid } satisfies HandleDoc);
    tx.set(profileRef, {
      handle,
      displayName,
      createdAt: previous?.createdAt ?? Timestamp.fromDate(ctx.clock()),
    } satisfies PublicProfileDoc);
    return renaming;
  });
  logPublicProfileSet({ uid, renamed, durationMs: Date.now() - started });
  return { handle };
}

/** The uid that holds a handle (any case), or null. */
export async function uidForHandle(ctx: Pick<AppContext, "db">, handle: string): Promise<string | null> {
  const snap = await handleRef(ctx.db, handle).get();
  return (snap.data() as HandleDoc | undefined)?.uid ?? null;
}
