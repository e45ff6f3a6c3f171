import type { AppContext } from "../shared/app";
import { readCounts } from "./aggregate";
import { storedReactionType } from "./counts";
import { userReactionRef } from "./documents";
import { requireEpisode } from "../cache/requireEpisode";
import type { GetReactionsRequest, GetReactionsResponse } from "./schemas";

/** An episode's exact counts (summed from its shards) and the caller's own reaction. Writes nothing. */
export async function getReactions(
  ctx: Pick<AppContext, "db" | "cache">,
  uid: string,
  episode: GetReactionsRequest,
): Promise<GetReactionsResponse> {
  const [, { counts }, mine] = await Promise.all([
    requireEpisode(ctx.cache, episode),
    readCounts(ctx.db, episode),
    userReactionRef(ctx.db, uid, episode).get(),
  ]);
  return { counts, mine: storedReactionType(mine.data()) };
}
