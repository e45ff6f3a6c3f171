import { collection, doc, getDoc, getDocs } from "firebase/firestore";
import { reactionDocId, userReactionRef } from "../../functions/src/reactions/documents";
import type { ReactionType } from "@tvtracker/client";
import { uniqueShowId } from "../support/admin";
import { useE2eEnv } from "../support/e2e";
import { anonymousClient, sharedFakeTmdb, type ClientUser } from "../support/client";

const e2e = useE2eEnv();
const user = () => e2e.user();
const fake = sharedFakeTmdb();
async function knownEpisode() {
  const showId = uniqueShowId();
  await fake.setShow(showId, { name: "Reacted", seasons: [{ episodes: 5, airDate: "2021-01-01" }] });
  return { showId, season: 1, episode: 2 };
}
const zero = { like: 0, love: 0, haha: 0, wow: 0, sad: 0, pray: 0 };

describe("toggleReaction and getReactions through the client SDK", () => {
  it("adds, changes and removes the caller's reaction and answers the episode's counts", async () => {
    const [me, other] = [await user(), await user()];
    const episode = await knownEpisode();
    const toggle = (u: ClientUser, type: ReactionType) => u.api.toggleReaction({ ...episode, type });

    expect(await toggle(other, "love")).toEqual({ action: "added", type: "love", counts: { ...zero, love: 1 } });
    expect(await toggle(me, "love")).toEqual({ action: "added", type: "love", counts: { ...zero, love: 2 } });
    expect(await toggle(me, "pray")).toEqual({ action: "changed", type: "pray", counts: { ...zero, love: 1, pray: 1 } });
    expect(await me.api.getReactions(episode)).toEqual({ counts: { ...zero, love: 1, pray: 1 }, mine: "pray" });
    expect(await other.api.getReactions(episode)).toEqual({ counts: { ...zero, love: 1, pray: 1 }, mine: "love" });

    // Signed-in clients read the aggregate and their own reaction directly (security rules).
    const aggregate = await getDoc(doc(me.firestore(), "reaction_counts", reactionDocId(episode)));
    expect(aggregate.data()).toMatchObject({ ...episode, counts: { ...zero, love: 1, pray: 1 } });
    expect((await getDocs(collection(other.firestore(), "reaction_counts", reactionDocId(episode), "shards"))).size).toBeGreaterThan(0);
    expect((await getDoc(doc(me.firestore(), "users", me.uid, "reactions", reactionDocId(episode)))).get("type")).toBe("pray");

    expect(await toggle(me, "pray")).toEqual({ action: "removed", counts: { ...zero, love: 1 } });
    expect(await me.api.getReactions(episode)).toEqual({ counts: { ...zero, love: 1 }, mine: null });
    expect((await userReactionRef(e2e.db, me.uid, episode).get()).exists).toBe(false);
  });

  it("answers invalid-argument naming the field, not-found for unknown episodes, and writes nothing", async () => {
    const u = await user();
    const episode = await knownEpisode();
    for (const [bad, field] of [
      [{ ...episode, type: "angry" }, "type"],
      [{ ...episode }, "type"],
      [{ ...episode, episode: 0, type: "like" }, "episode"],
      [{ ...episode, showId: "1", type: "like" }, "showId"],
    ] as const) {
      await expect(u.call("toggleReaction", bad)).rejects.toMatchObject({
        code: "functions/invalid-argument",
        message: expect.stringContaining(field),
      });
    }
    await expect(u.call("getReactions", { ...episode, season: -1 })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("season"),
    });

    for (const unknown of [
      { ...episode, episode: 6 },
      { ...episode, season: 2 },
    ]) {
      await expect(u.call("toggleReaction", { ...unknown, type: "like" })).rejects.toMatchObject({ code: "functions/not-found" });
      await expect(u.call("getReactions", unknown)).rejects.toMatchObject({ code: "functions/not-found" });
    }
    expect((await e2e.db.collection("users").doc(u.uid).collection("reactions").get()).size).toBe(0);
  });

  it("rejects callers who are not signed in, who also cannot read the counts directly", async () => {
    const episode = await knownEpisode();
    const anonymous = anonymousClient();
    try {
      await expect(anonymous.call("toggleReaction", { ...episode, type: "like" })).rejects.toMatchObject({
        code: "functions/unauthenticated",
      });
      await expect(anonymous.call("getReactions", episode)).rejects.toMatchObject({ code: "functions/unauthenticated" });
      await expect(getDoc(doc(anonymous.firestore(), "reaction_counts", reactionDocId(episode)))).rejects.toMatchObject({
        code: "permission-denied",
      });
    } finally {
      await anonymous.close();
    }
  });
});
