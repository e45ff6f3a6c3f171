import { Timestamp } from "firebase-admin/firestore";
import { AppError } from "../../functions/src/shared/errors";
import { publishCounts, readCounts } from "../../functions/src/reactions/aggregate";
import { emptyCounts, storedReactionType } from "../../functions/src/reactions/counts";
import {
  REACTION_COUNTER_SHARDS,
  reactionCountsRef,
  reactionShardsCollection,
  userReactionRef,
  type ReactionEpisode,
} from "../../functions/src/reactions/documents";
import { getReactions } from "../../functions/src/reactions/getReactions";
import { REACTION_TYPES, type ReactionType } from "../../functions/src/reactions/schemas";
import { setReaction, toggleReaction } from "../../functions/src/reactions/toggleReaction";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

/** A show with one known season of 8 episodes. */
async function knownEpisode(): Promise<ReactionEpisode> {
  const showId = uniqueShowId();
  await env.fake.setShow(showId, { name: "Reactions", seasons: [{ episodes: 8, airDate: "2020-01-01" }] });
  return { showId, season: 1, episode: 3 };
}

const counts = (partial: Partial<Record<ReactionType, number>>) => ({ ...emptyCounts(), ...partial });

describe("toggleReaction", () => {
  it("adds, changes and removes one reaction per user, keeping the user document and the counts in step", async () => {
    const ctx = env.context();
    const episode = await knownEpisode();
    const [me, other] = [uniqueId("me"), uniqueId("other")];
    // One user's toggles in quick succession: publish the aggregate without the crowd's 1 s spacing.
    const noSpacing = { minIntervalMs: 0, maxAttempts: 3 };
    const at = new Date("2024-05-01T10:00:00Z");
    const clocked = { ...ctx, clock: () => at };

    expect((await toggleReaction(ctx, other, { ...episode, type: "sad" }, noSpacing)).response).toEqual({
      action: "added",
      type: "sad",
      counts: counts({ sad: 1 }),
    });
    expect((await toggleReaction(clocked, me, { ...episode, type: "like" }, noSpacing)).response).toEqual({
      action: "added",
      type: "like",
      counts: counts({ like: 1, sad: 1 }),
    });
    expect((await userReactionRef(env.db, me, episode).get()).data()).toEqual({ type: "like", updatedAt: Timestamp.fromDate(at) });

    expect((await toggleReaction(ctx, me, { ...episode, type: "haha" }, noSpacing)).response).toEqual({
      action: "changed",
      type: "haha",
      counts: counts({ haha: 1, sad: 1 }),
    });
    expect(await getReactions(ctx, me, episode)).toEqual({ counts: counts({ haha: 1, sad: 1 }), mine: "haha" });

    expect((await toggleReaction(ctx, me, { ...episode, type: "haha" }, noSpacing)).response).toEqual({
      action: "removed",
      counts: counts({ sad: 1 }),
    });
    expect((await userReactionRef(env.db, me, episode).get()).exists).toBe(false);
    expect(await getReactions(ctx, me, episode)).toEqual({ counts: counts({ sad: 1 }), mine: null });

    const aggregate = (await reactionCountsRef(env.db, episode).get()).data();
    expect(aggregate).toEqual({ ...episode, counts: counts({ sad: 1 }), asOf: expect.any(Timestamp) });
  });

  it("answers all six types at zero for an episode nobody reacted to, and writes nothing", async () => {
    const episode = await knownEpisode();
    expect(await getReactions(env.context(), uniqueId("me"), episode)).toEqual({ counts: counts({}), mine: null });
    expect((await reactionCountsRef(env.db, episode).get()).exists).toBe(false);
  });

  it("answers not-found for an episode, season or show TMDB does not have, and writes nothing", async () => {
    const ctx = env.context();
    const uid = uniqueId("me");
    const { showId } = await knownEpisode();
    const missingShow = Math.floor(uniqueShowId() / 1000) * 1000 + 404; // the fake catalog has no show ending in 404
    for (const episode of [
      { showId, season: 1, episode: 9 },
      { showId, season: 2, episode: 1 },
      { showId: missingShow, season: 1, episode: 1 },
    ]) {
      await expect(toggleReaction(ctx, uid, { ...episode, type: "wow" })).rejects.toMatchObject({ code: "not-found" });
      await expect(getReactions(ctx, uid, episode)).rejects.toMatchObject({ code: "not-found" });
      expect((await userReactionRef(env.db, uid, episode).get()).exists).toBe(false);
      expect((await reactionShardsCollection(env.db, episode).get()).size).toBe(0);
    }
  });

  it("answers unavailable when TMDB fails and the season is not cached, and writes nothing", async () => {
    const episode = await knownEpisode();
    await env.fake.addFault({ path: `/tv/${episode.showId}`, kind: "500" });
    const uid = uniqueId("me");
    const failure = toggleReaction(env.context(), uid, { ...episode, type: "pray" });
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({ code: "unavailable" });
    expect((await userReactionRef(env.db, uid, episode).get()).exists).toBe(false);
    expect((await reactionShardsCollection(env.db, episode).get()).size).toBe(0);
  });
});

describe("setReaction", () => {
  it("sets an explicit end state: the same request twice (a retry) ends as if sent once", async () => {
    const ctx = env.context();
    const episode = await knownEpisode();
    const me = uniqueId("me");
    const noSpacing = { minIntervalMs: 0, maxAttempts: 3 };

    expect((await setReaction(ctx, me, { ...episode, type: "love" }, noSpacing)).response).toEqual({
      action: "added",
      type: "love",
      counts: counts({ love: 1 }),
    });
    expect((await setReaction(ctx, me, { ...episode, type: "love" }, noSpacing)).response).toEqual({
      action: "unchanged",
      type: "love",
      counts: counts({ love: 1 }),
    });
    expect(storedReactionType((await userReactionRef(env.db, me, episode).get()).data())).toBe("love");

    expect((await setReaction(ctx, me, { ...episode, type: "wow" }, noSpacing)).response).toEqual({
      action: "changed",
      type: "wow",
      counts: counts({ wow: 1 }),
    });
    expect((await setReaction(ctx, me, { ...episode, type: null }, noSpacing)).response).toEqual({
      action: "removed",
      type: null,
      counts: counts({}),
    });
    expect((await setReaction(ctx, me, { ...episode, type: null }, noSpacing)).response).toEqual({
      action: "unchanged",
      type: null,
      counts: counts({}),
    });
    expect((await userReactionRef(env.db, me, episode).get()).exists).toBe(false);
    expect((await readCounts(env.db, episode)).counts).toEqual(counts({}));
  });

  it("two concurrent identical requests end with one reaction, counted once", async () => {
    const ctx = env.context();
    const episode = await knownEpisode();
    const me = uniqueId("me");
    await Promise.all([setReaction(ctx, me, { ...episode, type: "pray" }), setReaction(ctx, me, { ...episode, type: "pray" })]);
    expect((await readCounts(env.db, episode)).counts).toEqual(counts({ pray: 1 }));
  });
});

describe("the reaction_counts aggregate", () => {
  it("never goes back to an older snapshot than the one it holds", async () => {
    const ctx = env.context();
    const episode = await knownEpisode();
    const noSpacing = { minIntervalMs: 0, maxAttempts: 3 };
    await toggleReaction(ctx, uniqueId("a"), { ...episode, type: "wow" }, noSpacing);
    const older = await readCounts(env.db, episode);
    await toggleReaction(ctx, uniqueId("b"), { ...episode, type: "wow" }, noSpacing);

    expect(await publishCounts(env.db, episode, older, noSpacing)).toEqual({ covered: true, wrote: false, attempts: 1 });
    expect((await reactionCountsRef(env.db, episode).get()).get("counts")).toEqual(counts({ wow: 2 }));
  });
});

describe("a crowd reacting to one episode at once", () => {
  it("300 users (mixed types, some toggling twice concurrently) end with counts equal to a recount of their reactions", async () => {
    const episode = await knownEpisode();
    await env.context().cache.getSeasonFromCacheOrTMDB(episode.showId, episode.season);
    const ctx = env.context();
    const uids = Array.from({ length: 300 }, (_, i) => uniqueId(`crowd${i}`));
    // Per user: one toggle, or two at the same moment: the same type (ends with none) or two types
    // (ends with one of them, whichever committed last).
    const toggles = uids.flatMap((uid, i) => {
      const type = REACTION_TYPES[i % REACTION_TYPES.length];
      if (i % 10 === 0)
        return [
          { uid, type },
          { uid, type },
        ];
      if (i % 10 === 5)
        return [
          { uid, type },
          { uid, type: REACTION_TYPES[(i + 1) % REACTION_TYPES.length] },
        ];
      return [{ uid, type }];
    });
    const sameTypeTwice = uids.filter((_, i) => i % 10 === 0).length;

    const started = Date.now();
    const results = await Promise.all(toggles.map(({ uid, type }) => toggleReaction(ctx, uid, { ...episode, type })));
    const wallMs = Date.now() - started;
    const attempts = results.reduce((sum, r) => sum + r.transactionAttempts, 0);

    const reactions = await env.db.getAll(...uids.map((uid) => userReactionRef(env.db, uid, episode)));
    const recount = emptyCounts();
    for (const snap of reactions) {
      const type = storedReactionType(snap.data());
      if (type) recount[type] += 1;
    }
    const total = Object.values(recount).reduce((a, b) => a + b, 0);
    expect(total).toBe(uids.length - sameTypeTwice);

    expect((await readCounts(env.db, episode)).counts).toEqual(recount);
    expect((await getReactions(ctx, uids[1], episode)).counts).toEqual(recount);
    // Every toggle published counts covering its own change, so the aggregate document is exact too.
    expect((await reactionCountsRef(env.db, episode).get()).get("counts")).toEqual(recount);
    const shards = await reactionShardsCollection(env.db, episode).get();
    expect(shards.size).toBeGreaterThan(1);
    expect(shards.size).toBeLessThanOrEqual(REACTION_COUNTER_SHARDS);

    const aggregateWrites = results.filter((r) => r.published.wrote).length;
    console.log(
      `300 users / ${toggles.length} toggles: ${wallMs} ms, ${attempts} transaction runs (${attempts - toggles.length} retries), ${aggregateWrites} aggregate writes`,
    );
  });
});
