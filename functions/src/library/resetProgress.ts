import type { AppContext } from "../shared/app";
import { resetShow } from "../tracking/repository";
import { logProgressReset } from "./logs";
import type { ResetProgressRequest, ResetProgressResponse } from "./schemas";

/**
 * Starts a rewatch of a show (Trakt's `reset_at`): from now on progress, percent, label and up next
 * count only plays after `resetAt`; the history is never touched. `undo` restores the `resetAt` (and the
 * pointer) the last reset replaced. Both are idempotent under retries (see `resetShow`).
 */
export async function resetProgress(
  ctx: Pick<AppContext, "db" | "clock">,
  uid: string,
  { showId, undo = false }: ResetProgressRequest,
): Promise<ResetProgressResponse> {
  const started = Date.now();
  const resetAt = await resetShow(ctx.db, uid, showId, ctx.clock(), undo);
  const iso = resetAt ? resetAt.toDate().toISOString() : null;
  logProgressReset({ uid, showId, undo, resetAt: iso, durationMs: Date.now() - started });
  return { showId, resetAt: iso };
}
