import { getAuth } from "firebase-admin/auth";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { deleteAccountData, runDeletion } from "../../functions/src/households/accountDeletion";
import { deletionJobRef } from "../../functions/src/households/deletionJobs";
import { InMemoryDeletionQueue } from "../../functions/src/households/deletionQueue";
import { createHousehold, createHouseholdInvite, createProfile, joinHousehold } from "../../functions/src/households/households";
import { membershipRef } from "../../functions/src/households/documents";
import { readCounts } from "../../functions/src/reactions/aggregate";
import { setReaction } from "../../functions/src/reactions/toggleReaction";
import { createWebhook } from "../../functions/src/webhooks/secrets";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";
import { waitForDoc } from "../support/firestoreWait";
import { userDocuments } from "./hostileHarness";
import { RecordingAlertSender } from "../../functions/src/nightly/alertSender";
import { openConversation } from "../../functions/src/social/conversations";
import { respondFriendRequest, sendFriendRequest, setBlocked } from "../../functions/src/social/friends";
import { sendMessage } from "../../functions/src/social/messages";
import { setPublicProfile } from "../../functions/src/social/profiles";

/**
 * Account deletion (CONTRACT §9): everything under users/{uid} at any depth — counted document by
 * document with listCollections — reactions out of reaction_counts, webhook secrets, the household
 * membership; in bounded chunks that survive a crash midway and continue on the queue.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const count = async (uid: string) => (await userDocuments(env.db, uid)).length;
const at = Timestamp.fromDate(new Date("2024-03-01T20:00:00Z"));

/** An account touching every kind of per-user document, with `plays` history documents over `shows` shows. */
async function seedAccount(db: Firestore, uid: string, { plays = 300, shows = 10 } = {}) {
  const showIds = Array.from({ length: shows }, () => uniqueShowId());
  for (const showId of showIds.slice(0, 3))
    await env.fake.setShow(showId, { name: "Deleted", seasons: [{ episodes: 3, airDate: "2020-01-01" }] });
  const user = db.collection("users").doc(uid);
  const writer = db.bulkWriter();
  void writer.set(user, { createdAt: at });
  for (const showId of showIds) {
    void writer.set(user.collection("episode_tracking").doc(String(showId)), {
      showId,
      episodes: { "1_1": { watched: true, watchedAt: at } },
    });
    void writer.set(user.collection("ratings").doc(`tv_${showId}`), { rating: 8, ratedAt: at });
  }
  for (let i = 0; i < plays; i++) {
    const showId = showIds[i % shows] as number;
    void writer.set(user.collection("history").doc(`trakt_${i + 1}`), {
      showId,
      season: 1,
      episode: 1 + (i % 20),
      watchedAt: at,
      source: "trakt",
      sourceId: String(i + 1),
      action: "watch",
    });
  }
  void writer.set(user.collection("imports").doc("imp1"), { status: "done" });
  void writer.set(user.collection("imports").doc("imp1").collection("job").doc("state"), { cursor: 3 });
  void writer.set(user.collection("imports").doc("imp1").collection("parts").doc("0"), { data: "x" });
  void writer.set(user.collection("library").doc("summary"), { shows: {} });
  void writer.set(user.collection("settings").doc("preferences"), { language: "en-US" });
  await writer.close();
  const ctx = env.context();
  for (const showId of showIds.slice(0, 3)) await setReaction(ctx, uid, { showId, season: 1, episode: 1, type: "love" });
  const { url } = await createWebhook(ctx, uid, { kind: "plex" });
  return { showIds, reacted: showIds.slice(0, 3), secret: url.slice(url.lastIndexOf("/") + 1) };
}

const loves = async (showId: number) => (await readCounts(env.db, { showId, season: 1, episode: 1 })).counts.love ?? 0;

describe("account deletion", () => {
  it("removes every document under users/{uid}, its reactions from the counts, its webhook secrets and its rate-limit state", async () => {
    const uid = uniqueId("del");
    const other = uniqueId("del-other");
    const seeded = await seedAccount(env.db, uid);
    await setReaction(env.context(), other, { showId: seeded.reacted[0] as number, season: 1, episode: 1, type: "love" });
    expect(await count(uid)).toBeGreaterThan(300);
    expect(await loves(seeded.reacted[0] as number)).toBe(2);

    const queue = new InMemoryDeletionQueue();
    expect(await deleteAccountData(env.context(), uid, { queue, budgetMs: 120_000, chunkSize: 100 })).toEqual({ done: true });

    expect(await count(uid)).toBe(0);
    expect(queue.tasks).toEqual([]);
    expect(await loves(seeded.reacted[0] as number)).toBe(1);
    for (const showId of seeded.reacted.slice(1)) expect(await loves(showId)).toBe(0);
    expect((await env.db.collection("webhook_secrets").where("uid", "==", uid).get()).size).toBe(0);
    expect((await deletionJobRef(env.db, uid).get()).data()).toMatchObject({ phase: "done", finishedAt: expect.any(Timestamp) });
    // The other user keeps theirs.
    expect(await count(other)).toBe(1);
  });

  it("survives crashes midway (in the reactions and in the tree phase): the retry ends with nothing left, counts adjusted once", async () => {
    const uid = uniqueId("crash");
    const seeded = await seedAccount(env.db, uid, { plays: 400 });
    const queue = new InMemoryDeletionQueue();
    const crashAt = new Set(["reactions", "tree"]);
    const options = {
      queue,
      budgetMs: 120_000,
      chunkSize: 1,
      afterChunk: ({ phase, deletedDocs }: { phase: string; deletedDocs: number }) => {
        // Dies right after a chunk was saved (a worker killed there): once among the reactions, once
        // after 100 documents of the tree are gone.
        const midTree = phase === "tree" && deletedDocs >= 100;
        if ((phase === "reactions" || midTree) && crashAt.delete(phase)) throw new Error(`crash in ${phase}`);
      },
    };
    await expect(deleteAccountData(env.context(), uid, options)).rejects.toThrow("crash in reactions");
    expect(await count(uid)).toBeGreaterThan(0);
    await expect(runDeletion(env.context(), uid, { ...options, chunkSize: 50 })).rejects.toThrow("crash in tree");
    const midway = await count(uid);
    expect(midway).toBeGreaterThan(0);
    // The queue's retry.
    expect(await runDeletion(env.context(), uid, { ...options, chunkSize: 50 })).toEqual({ done: true });
    expect(await count(uid)).toBe(0);
    for (const showId of seeded.reacted) expect(await loves(showId)).toBe(0);
    // A stale duplicate of the task changes nothing.
    expect(await runDeletion(env.context(), uid, options)).toEqual({ done: true });
  });

  it("runs in bounded chunks on the queue when the budget is spent, each continuation from the saved cursor", async () => {
    const uid = uniqueId("chunks");
    await seedAccount(env.db, uid, { plays: 250 });
    const queue = new InMemoryDeletionQueue();
    const options = { queue, budgetMs: 0, chunkSize: 100 };
    expect(await deleteAccountData(env.context(), uid, options)).toEqual({ done: false });
    for (let i = 0; i < queue.tasks.length; i++) {
      const task = queue.tasks[i];
      if (task) await runDeletion(env.context(), task.ownerId, options, task.step);
    }
    expect(queue.tasks.length).toBeGreaterThan(4);
    expect(await count(uid)).toBe(0);
  }, 240_000);

  it("leaves the household: ownership passes to the longest-standing member; the last member ends it with its managed profiles' data", async () => {
    const ctx = env.context();
    const [owner, member] = [uniqueId("hh-own"), uniqueId("hh-mem")];
    const { householdId } = await createHousehold(ctx, owner, { name: "Sofa" });
    await joinHousehold(ctx, member, { code: (await createHouseholdInvite(ctx, owner)).code.replace(/-/g, "") });
    const { profileId: kid } = await createProfile(ctx, owner, { name: "Kid" });
    await seedAccount(env.db, kid, { plays: 50, shows: 3 });
    const queue = new InMemoryDeletionQueue();

    await deleteAccountData(ctx, owner, { queue, budgetMs: 120_000 });
    expect((await env.db.doc(`households/${householdId}`).get()).get("ownerUid")).toBe(member);
    expect((await membershipRef(env.db, member).get()).get("role")).toBe("owner");
    expect((await membershipRef(env.db, owner).get()).exists).toBe(false);
    expect(await count(kid)).toBeGreaterThan(0);

    await deleteAccountData(ctx, member, { queue, budgetMs: 120_000 });
    expect((await env.db.doc(`households/${householdId}`).get()).exists).toBe(false);
    expect((await env.db.collection(`households/${householdId}/profiles`).get()).size).toBe(0);
    expect(await count(kid)).toBe(0);
  });

  it("clears what friends and messages hold for the account (CONTRACT §10): handle freed, friendships, requests and blocks gone on both sides, sent messages kept", async () => {
    const ctx = env.context();
    const [gone, friend, asker, blocked] = [uniqueId("delsoc"), uniqueId("delsoc-f"), uniqueId("delsoc-a"), uniqueId("delsoc-b")];
    const handleOf = (label: string) => `${label}_${uniqueId("h").slice(2).replace(/-/g, "")}`.slice(0, 30);
    const goneHandle = handleOf("gone");
    await setPublicProfile(ctx, gone, { handle: goneHandle, displayName: "Gone" });
    const friendHandle = handleOf("friend");
    await setPublicProfile(ctx, friend, { handle: friendHandle, displayName: "Friend" });
    await setPublicProfile(ctx, asker, { handle: handleOf("asker"), displayName: "Asker" });
    await sendFriendRequest(ctx, gone, { handle: friendHandle });
    await respondFriendRequest(ctx, friend, { uid: gone, accept: true });
    await sendFriendRequest(ctx, asker, { handle: goneHandle });
    await setBlocked(ctx, gone, { uid: blocked, blocked: true });
    const { conversationId } = await openConversation(ctx, gone, { uid: friend });
    const { messageId } = await sendMessage(ctx, new RecordingAlertSender(), gone, {
      conversationId,
      clientMessageId: "bye-1",
      text: "bye",
    });

    expect(await deleteAccountData(ctx, gone, { queue: new InMemoryDeletionQueue(), budgetMs: 120_000 })).toEqual({ done: true });

    expect(await count(gone)).toBe(0);
    expect((await env.db.collection("public_profiles").doc(gone).get()).exists).toBe(false);
    expect((await env.db.collection("users").doc(friend).collection("friends").doc(gone).get()).exists).toBe(false);
    expect((await env.db.collection("users").doc(asker).collection("friend_requests").get()).size).toBe(0);
    // The handle is anyone's again.
    await expect(setPublicProfile(ctx, asker, { handle: goneHandle, displayName: "Asker" })).resolves.toEqual({ handle: goneHandle });
    // The message stays in the friend's conversation.
    const message = await env.db.collection("conversations").doc(conversationId).collection("messages").doc(messageId).get();
    expect(message.get("text")).toBe("bye");
  });

  it("runs when the Auth user is deleted (the deployed trigger, in the Functions emulator)", async () => {
    const uid = uniqueId("auth-del");
    await getAuth(env.app).createUser({ uid });
    await seedAccount(env.db, uid, { plays: 120 });
    const done = await waitForDoc(deletionJobRef(env.db, uid), (data) => data?.phase === "done");
    await getAuth(env.app).deleteUser(uid);
    await done.reached;
    expect(await count(uid)).toBe(0);
  });
});
