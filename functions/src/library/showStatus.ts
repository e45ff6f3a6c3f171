import type { AppContext } from "../shared/app";
import { setShowStatus as writeShowStatus } from "../tracking/repository";
import { logShowStatusSet } from "./logs";
import { requireShow } from "./requireMedia";
import type { SetShowStatusRequest, SetShowStatusResponse } from "./schemas";

/**
 * Sets the user's status for a show TMDB knows (`not-found` otherwise). Paused and dropped shows leave
 * the library, up next, the calendar and new-episode alerts; nothing else about the show changes, so
 * going back to `watching` restores it as it was. Idempotent.
 */
export async function setShowStatus(
  ctx: Pick<AppContext, "db" | "cache" | "clock">,
  uid: string,
  { showId, status }: SetShowStatusRequest,
): Promise<SetShowStatusResponse> {
  const started = Date.now();
  await requireShow(ctx.cache, showId);
  await writeShowStatus(ctx.db, uid, showId, status, ctx.clock());
  logShowStatusSet({ uid, showId, status, durationMs: Date.now() - started });
  return { showId, status };
}
