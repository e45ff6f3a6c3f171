import { deleteApp, getApp, getApps, initializeApp } from "firebase-admin/app";
import { HttpsError } from "firebase-functions/v2/https";
import * as exported from "../../functions/src/index";
import { registerDevice } from "../../functions/src/library/devices";
import { RecordingAlertSender } from "../../functions/src/nightly/alertSender";
import { seasonRef } from "../../functions/src/cache/documents";
import { deleteSocialAccountData } from "../../functions/src/social/deleteAccount";
import { conversationIdFor, messageIdFor } from "../../functions/src/social/documents";
import { markConversationRead, openConversation } from "../../functions/src/social/conversations";
import { removeFriend, respondFriendRequest, sendFriendRequest, setBlocked } from "../../functions/src/social/friends";
import { getMessages, sendMessage } from "../../functions/src/social/messages";
import { setPublicProfile } from "../../functions/src/social/profiles";
import type { SendMessageRequest } from "../../functions/src/social/schemas";
import { refreshShared } from "../../functions/src/social/shares";
import { preferencesRef } from "../../functions/src/language/preferences";
import { episodeIdFor, type ShowSpec } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";
import { authFor, discoverCallables, invoke, loadFunctionsEnv, type DiscoveredCallable, type Outcome } from "./hostileHarness";

/**
 * Friends and direct messages (CONTRACT §10) against the Firestore emulator and the fake TMDB: the
 * modules directly (with a recording push sender), and the callables through their trigger layer for
 * validation and the per-user limits.
 */
let env: TestEnv;
const callables = new Map(discoverCallables(exported).map(({ name, fn }) => [name, fn]));
const call = (name: string, payload: unknown, uid: string) => invoke(callables.get(name) as DiscoveredCallable, payload, authFor(uid));
const code = (outcome: Outcome) =>
  outcome.ok ? "ok" : outcome.error instanceof HttpsError ? outcome.error.code : `crash: ${String(outcome.error)}`;
const FLOOD = 5;

beforeAll(async () => {
  env = await startTestEnv();
  // The callables build their context from params once per process: tight social budgets for the flood tests.
  process.env.TMDB_BASE_URL = env.fake.url;
  process.env.TMDB_API_KEY = "fake-tmdb-key";
  process.env.RATE_LIMIT_MESSAGES_PER_MINUTE = String(FLOOD);
  process.env.RATE_LIMIT_FRIEND_REQUESTS_PER_DAY = String(FLOOD);
  loadFunctionsEnv();
  if (!getApps().some((app) => app.name === "[DEFAULT]")) initializeApp({ projectId: env.app.options.projectId });
});
afterAll(async () => {
  await env.close();
  if (getApps().some((app) => app.name === "[DEFAULT]")) await deleteApp(getApp());
});

const user = (uid: string) => env.db.collection("users").doc(uid);
const handleFor = (label: string) => `${label}_${uniqueId("h").slice(2).replace(/-/g, "")}`.slice(0, 30);

async function expectCode(promise: Promise<unknown>, expected: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: expected });
}

/** A user with a public profile; returns their uid and handle. */
async function person(label: string): Promise<{ uid: string; handle: string; name: string }> {
  const uid = uniqueId(label);
  const handle = handleFor(label);
  const name = `${label[0].toUpperCase()}${label.slice(1)}`;
  await setPublicProfile(env.context(), uid, { handle, displayName: name });
  return { uid, handle, name };
}

async function friends(label = "pair") {
  const a = await person(`${label}a`);
  const b = await person(`${label}b`);
  const ctx = env.context();
  expect(await sendFriendRequest(ctx, a.uid, { handle: b.handle })).toEqual({ status: "requested" });
  expect(await respondFriendRequest(ctx, b.uid, { uid: a.uid, accept: true })).toEqual({ status: "friends" });
  const { conversationId } = await openConversation(ctx, a.uid, { uid: b.uid });
  return { a, b, conversationId };
}

const entry = async (uid: string, conversationId: string) => (await user(uid).collection("conversations").doc(conversationId).get()).data();

describe("public profiles and handles", () => {
  it("reserves a handle whatever its case, and frees it on rename", async () => {
    const ctx = env.context();
    const [a, b] = [uniqueId("ann"), uniqueId("ben")];
    const handle = handleFor("Ann.Smith");
    expect(await setPublicProfile(ctx, a, { handle, displayName: "Ann" })).toEqual({ handle });
    await expectCode(setPublicProfile(ctx, b, { handle: handle.toLowerCase(), displayName: "Ben" }), "already-exists");
    await expectCode(setPublicProfile(ctx, b, { handle: handle.toUpperCase(), displayName: "Ben" }), "already-exists");
    // The owner may change the case of their own handle.
    expect(await setPublicProfile(ctx, a, { handle: handle.toLowerCase(), displayName: "Ann" })).toEqual({ handle: handle.toLowerCase() });
    const renamed = handleFor("ann2");
    await setPublicProfile(ctx, a, { handle: renamed, displayName: "Ann" });
    expect(await setPublicProfile(ctx, b, { handle: handle.toUpperCase(), displayName: "Ben" })).toEqual({ handle: handle.toUpperCase() });
    expect((await env.db.collection("public_profiles").doc(a).get()).data()).toMatchObject({ handle: renamed, displayName: "Ann" });
    expect((await env.db.collection("handles").doc(handle.toLowerCase()).get()).get("uid")).toBe(b);
    expect((await env.db.collection("handles").doc(renamed.toLowerCase()).get()).get("uid")).toBe(a);
  });

  it("gives a handle asked for by two users at once to exactly one", async () => {
    const handle = handleFor("race");
    const uids = Array.from({ length: 6 }, () => uniqueId("racer"));
    const outcomes = await Promise.allSettled(
      uids.map((uid, i) => setPublicProfile(env.context(), uid, { handle: i % 2 ? handle.toUpperCase() : handle, displayName: "R" })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ code: "already-exists" });
  });

  it.each([
    ["spaces", "has space"],
    ["over 30 characters", "a".repeat(31)],
    ["under 3 characters", "ab"],
    ["other characters", "ann-smith"],
    ["markup", "<b>ann</b>"],
  ])("rejects a handle with %s (invalid-argument naming the field), writing nothing", async (_label, handle) => {
    const uid = uniqueId("bad");
    const outcome = await call("setPublicProfile", { handle, displayName: "X" }, uid);
    expect(code(outcome)).toBe("invalid-argument");
    expect((outcome as { error: HttpsError }).error.message).toMatch(/^handle:/);
    expect((await env.db.collection("public_profiles").doc(uid).get()).exists).toBe(false);
  });
});

describe("friends", () => {
  it("request, accept: friends on both sides, the request answered", async () => {
    const { a, b } = await friends();
    expect((await user(a.uid).collection("friends").doc(b.uid).get()).exists).toBe(true);
    expect((await user(b.uid).collection("friends").doc(a.uid).get()).exists).toBe(true);
    expect((await user(b.uid).collection("friend_requests").get()).size).toBe(0);
    // Asking again, or accepting again, answers friends and changes nothing.
    expect(await sendFriendRequest(env.context(), a.uid, { handle: b.handle })).toEqual({ status: "friends" });
    expect(await respondFriendRequest(env.context(), b.uid, { uid: a.uid, accept: true })).toEqual({ status: "friends" });
  });

  it("delivers a request with the sender's handle and name; declining leaves no friendship", async () => {
    const [a, b] = [await person("dora"), await person("eve")];
    await sendFriendRequest(env.context(), a.uid, { handle: b.handle.toUpperCase() });
    expect((await user(b.uid).collection("friend_requests").doc(a.uid).get()).data()).toMatchObject({
      handle: a.handle,
      displayName: "Dora",
    });
    expect(await respondFriendRequest(env.context(), b.uid, { uid: a.uid, accept: false })).toEqual({ status: "declined" });
    expect((await user(b.uid).collection("friend_requests").get()).size).toBe(0);
    expect((await user(a.uid).collection("friends").get()).size).toBe(0);
    await expectCode(respondFriendRequest(env.context(), b.uid, { uid: a.uid, accept: true }), "not-found");
  });

  it("answers not-found for an unknown handle", async () => {
    const a = await person("finn");
    await expectCode(sendFriendRequest(env.context(), a.uid, { handle: handleFor("nobody") }), "not-found");
  });

  it("makes two users asking each other at once friends exactly once", async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await person("mutA"), await person("mutB")];
      const statuses = await Promise.all([
        sendFriendRequest(env.context(), a.uid, { handle: b.handle }),
        sendFriendRequest(env.context(), b.uid, { handle: a.handle }),
      ]);
      expect(statuses.map((s) => s.status).sort()).toEqual(["friends", "requested"]);
      expect((await user(a.uid).collection("friends").get()).docs.map((d) => d.id)).toEqual([b.uid]);
      expect((await user(b.uid).collection("friends").get()).docs.map((d) => d.id)).toEqual([a.uid]);
      expect(
        (await user(a.uid).collection("friend_requests").get()).size + (await user(b.uid).collection("friend_requests").get()).size,
      ).toBe(0);
    }
  });

  it("blocking ends the friendship and requests both ways; the blocked user's requests are answered but never delivered", async () => {
    const { a, b, conversationId } = await friends("blk");
    const c = await person("carl");
    await sendFriendRequest(env.context(), b.uid, { handle: c.handle });
    await sendFriendRequest(env.context(), c.uid, { handle: a.handle });
    expect(await setBlocked(env.context(), a.uid, { uid: b.uid, blocked: true })).toEqual({ blocked: true });
    expect(await setBlocked(env.context(), a.uid, { uid: c.uid, blocked: true })).toEqual({ blocked: true });
    expect((await user(a.uid).collection("friends").get()).size).toBe(0);
    expect((await user(b.uid).collection("friends").get()).size).toBe(0);
    expect((await user(a.uid).collection("friend_requests").get()).size).toBe(0);
    // The blocked user asks again: "requested", and nothing reaches the blocker.
    expect(await sendFriendRequest(env.context(), b.uid, { handle: a.handle })).toEqual({ status: "requested" });
    expect((await user(a.uid).collection("friend_requests").get()).size).toBe(0);
    // Their messages are refused, and opening the conversation too.
    const sender = new RecordingAlertSender();
    await expectCode(
      sendMessage(env.context(), sender, b.uid, { conversationId, clientMessageId: "m1", text: "hello?" }),
      "permission-denied",
    );
    await expectCode(openConversation(env.context(), b.uid, { uid: a.uid }), "permission-denied");
    // Unblocked: a new request is delivered again.
    await setBlocked(env.context(), a.uid, { uid: b.uid, blocked: false });
    expect(await sendFriendRequest(env.context(), b.uid, { handle: a.handle })).toEqual({ status: "requested" });
    expect((await user(a.uid).collection("friend_requests").doc(b.uid).get()).exists).toBe(true);
  });

  it("a former friend cannot send into the conversation", async () => {
    const { a, b, conversationId } = await friends("ex");
    const sender = new RecordingAlertSender();
    await sendMessage(env.context(), sender, b.uid, { conversationId, clientMessageId: "before", text: "hi" });
    expect(await removeFriend(env.context(), a.uid, { uid: b.uid })).toEqual({ removed: true });
    await expectCode(
      sendMessage(env.context(), sender, b.uid, { conversationId, clientMessageId: "after", text: "hi?" }),
      "permission-denied",
    );
    // The history stays readable to both.
    expect((await getMessages(env.context(), a.uid, { conversationId })).items.map((m) => m.text)).toEqual(["hi"]);
  });
});

describe("conversations", () => {
  it("one conversation per pair, the same id from both sides; friends only", async () => {
    const { a, b, conversationId } = await friends("conv");
    expect(await openConversation(env.context(), b.uid, { uid: a.uid })).toEqual({ conversationId });
    expect(conversationId).toBe(conversationIdFor(b.uid, a.uid));
    expect((await env.db.collection("conversations").doc(conversationId).get()).data()).toMatchObject({
      members: [a.uid, b.uid].sort(),
      lastMessage: null,
    });
    const stranger = await person("stranger");
    await expectCode(openConversation(env.context(), stranger.uid, { uid: a.uid }), "permission-denied");
  });

  it("outsiders can neither read, send nor mark read", async () => {
    const { conversationId } = await friends("out");
    const outsider = uniqueId("outsider");
    await expectCode(getMessages(env.context(), outsider, { conversationId }), "permission-denied");
    await expectCode(
      sendMessage(env.context(), new RecordingAlertSender(), outsider, { conversationId, clientMessageId: "x", text: "hi" }),
      "permission-denied",
    );
    await expectCode(markConversationRead(env.context(), outsider, { conversationId }), "permission-denied");
    await expectCode(getMessages(env.context(), outsider, { conversationId: "0".repeat(64) }), "permission-denied");
  });

  it("keeps each user's list ordered by lastMessageAt, with unread and markConversationRead", async () => {
    const { a, b, conversationId } = await friends("list");
    const c = await person("cleo");
    await sendFriendRequest(env.context(), c.uid, { handle: a.handle });
    await respondFriendRequest(env.context(), a.uid, { uid: c.uid, accept: true });
    const { conversationId: second } = await openConversation(env.context(), c.uid, { uid: a.uid });
    const sender = new RecordingAlertSender();
    await sendMessage(env.context(), sender, b.uid, { conversationId, clientMessageId: "1", text: "first" });
    await sendMessage(env.context(), sender, c.uid, { conversationId: second, clientMessageId: "1", text: "second" });
    await sendMessage(env.context(), sender, b.uid, { conversationId, clientMessageId: "2", text: "third" });
    const list = await user(a.uid).collection("conversations").orderBy("lastMessageAt", "desc").get();
    expect(list.docs.map((d) => [d.id, d.get("withUid"), d.get("unread")])).toEqual([
      [conversationId, b.uid, 2],
      [second, c.uid, 1],
    ]);
    expect((await env.db.collection("conversations").doc(conversationId).get()).get("lastMessage")).toEqual({
      senderUid: b.uid,
      type: "text",
      preview: "third",
    });
    expect(await markConversationRead(env.context(), a.uid, { conversationId })).toEqual({ unread: 0 });
    expect(await entry(a.uid, conversationId)).toMatchObject({ unread: 0, withUid: b.uid });
    expect(await entry(b.uid, conversationId)).toMatchObject({ unread: 0, withUid: a.uid });
  });
});

describe("sendMessage", () => {
  it("is exactly-once per clientMessageId: a retry answers the same message, writes nothing and pushes nothing", async () => {
    const { a, b, conversationId } = await friends("retry");
    await registerDevice(env.context(), b.uid, { token: "b-phone", platform: "ios" });
    const sender = new RecordingAlertSender();
    const request = { conversationId, clientMessageId: "c-1", text: "see this" };
    const first = await sendMessage(env.context(), sender, a.uid, request);
    const again = await sendMessage(env.context(), sender, a.uid, request);
    expect(again).toEqual(first);
    expect(first.messageId).toBe(messageIdFor(a.uid, "c-1"));
    expect((await env.db.collection("conversations").doc(conversationId).collection("messages").get()).size).toBe(1);
    expect((await entry(b.uid, conversationId))?.unread).toBe(1);
    expect(sender.sent.map((m) => [m.token, m.title, m.body, m.data.messageId])).toEqual([
      ["b-phone", a.name, "see this", first.messageId],
    ]);
  });

  it("concurrent duplicates of one clientMessageId make one message, one unread, one push per device", async () => {
    const { a, b, conversationId } = await friends("dup");
    await registerDevice(env.context(), b.uid, { token: "b-phone", platform: "ios" });
    await registerDevice(env.context(), b.uid, { token: "b-tablet", platform: "android" });
    const sender = new RecordingAlertSender();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        sendMessage(env.context(), sender, a.uid, { conversationId, clientMessageId: "same", text: "once" }),
      ),
    );
    expect(new Set(answers.map((x) => JSON.stringify(x))).size).toBe(1);
    expect((await env.db.collection("conversations").doc(conversationId).collection("messages").get()).size).toBe(1);
    expect((await entry(b.uid, conversationId))?.unread).toBe(1);
    expect(sender.sent.map((m) => m.token).sort()).toEqual(["b-phone", "b-tablet"]);
  });

  it("keeps the recipient's unread exact under 50 concurrent sends, one push per message per device, dead tokens pruned", async () => {
    const { a, b, conversationId } = await friends("fifty");
    await registerDevice(env.context(), b.uid, { token: "b-phone", platform: "ios" });
    await registerDevice(env.context(), b.uid, { token: "b-dead", platform: "web" });
    const sender = new RecordingAlertSender();
    sender.invalidTokens.add("b-dead");
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sendMessage(env.context(), sender, a.uid, { conversationId, clientMessageId: `m${i}`, text: `#${i}` }),
      ),
    );
    expect(new Set(answers.map((x) => x.messageId)).size).toBe(50);
    expect((await entry(b.uid, conversationId))?.unread).toBe(50);
    expect((await env.db.collection("conversations").doc(conversationId).collection("messages").get()).size).toBe(50);
    expect(sender.sent.filter((m) => m.token === "b-phone")).toHaveLength(50);
    expect((await user(b.uid).collection("devices").get()).docs.map((d) => d.get("token"))).toEqual(["b-phone"]);
    // The conversation's last message is the one committed last: the message created by the commit that
    // last wrote the conversation (its update time). Not "the newest createdAt": in production a commit's
    // server timestamp is its commit time, but the emulator's transform time is not, so 50 concurrent
    // commits can order their createdAt differently from their commits.
    const conversation = await env.db.collection("conversations").doc(conversationId).get();
    const messages = await env.db.collection("conversations").doc(conversationId).collection("messages").get();
    const committedLast = messages.docs.filter((message) => message.createTime.isEqual(conversation.updateTime!));
    expect(committedLast.map((message) => message.get("text"))).toEqual([conversation.get("lastMessage.preview")]);
  });

  it("shares an episode with its details from the cache; getMessages answers them as the cache has them now, without TMDB", async () => {
    const { a, b, conversationId } = await friends("share");
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "The Shared Show",
      seasons: [{ episodes: 3, airDates: ["2024-01-01", "2024-01-08", "2024-01-15"] }],
    });
    const ctx = env.context();
    const sent = await sendMessage(ctx, new RecordingAlertSender(), a.uid, {
      conversationId,
      clientMessageId: "share-1",
      text: "you have to see this",
      share: { type: "episode", showId, season: 1, episode: 2 },
    });
    const stored = (await env.db.collection("conversations").doc(conversationId).collection("messages").doc(sent.messageId).get()).data();
    expect(stored).toMatchObject({
      senderUid: a.uid,
      type: "shared_episode",
      text: "you have to see this",
      shared: {
        media: { type: "episode", showId, season: 1, episode: 2 },
        title: "The Shared Show",
        season: 1,
        episode: 2,
        episodeName: `S1E2 of The Shared Show`,
        airDate: "2024-01-08",
      },
    });
    // The cache learns a new name (as a nightly refresh would write it): readers see it, with no TMDB request.
    const ref = seasonRef(env.db, showId, 1);
    const episodes = (await ref.get()).get("episodes") as Record<string, object>;
    await ref.update({
      episodes: { ...episodes, "2": { episodeId: episodeIdFor(showId, 1, 2), episodeName: "Renamed", episodeAirDate: "2024-01-09" } },
    });
    const before = (await env.fake.stats()).total;
    const page = await getMessages(env.context(), b.uid, { conversationId });
    expect((await env.fake.stats()).total).toBe(before);
    expect(page.items[0]).toMatchObject({
      messageId: sent.messageId,
      senderUid: a.uid,
      sender: { handle: a.handle, displayName: a.name, deleted: false },
      shared: { title: "The Shared Show", episodeName: "Renamed", airDate: "2024-01-09" },
    });
  });

  it("shares a show and a movie", async () => {
    const { a, b, conversationId } = await friends("media");
    const sender = new RecordingAlertSender();
    await sendMessage(env.context(), sender, a.uid, { conversationId, clientMessageId: "s", share: { type: "show", showId: 1399 } });
    await sendMessage(env.context(), sender, a.uid, { conversationId, clientMessageId: "m", share: { type: "movie", movieId: 603 } });
    const { items } = await getMessages(env.context(), b.uid, { conversationId });
    expect(items.map((m) => [m.type, m.text, m.shared?.title])).toEqual([
      ["shared_movie", null, "Movie 603"],
      ["shared_show", null, "Game of Thrones"],
    ]);
    expect(items[0].shared).toMatchObject({ runtimeMinutes: 90 + (603 % 60), airDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
    expect(sender.sent).toHaveLength(0); // b registered no device
  });

  it.each([
    ["a show TMDB does not have", { type: "show", showId: 7404 }],
    ["an episode TMDB does not have", { type: "episode", showId: 1399, season: 1, episode: 99 }],
    ["a season TMDB does not have", { type: "episode", showId: 1399, season: 40, episode: 1 }],
    ["a movie TMDB does not have", { type: "movie", movieId: 8404 }],
  ] as const)("answers not-found for %s and writes nothing", async (_label, share) => {
    const { a, b, conversationId } = await friends("nf");
    const sender = new RecordingAlertSender();
    await expectCode(
      sendMessage(env.context(), sender, a.uid, { conversationId, clientMessageId: "nf", share } as SendMessageRequest),
      "not-found",
    );
    expect((await env.db.collection("conversations").doc(conversationId).collection("messages").get()).size).toBe(0);
    expect(await entry(b.uid, conversationId)).toBeUndefined();
    expect((await env.db.collection("conversations").doc(conversationId).get()).get("lastMessage")).toBeNull();
  });

  it("stores text as given, never interpreted", async () => {
    const { a, b, conversationId } = await friends("markup");
    const text = `<script>alert("x")</script> **bold** &amp; ${"é".repeat(3)}\n\u202e`;
    await sendMessage(env.context(), new RecordingAlertSender(), a.uid, { conversationId, clientMessageId: "t", text });
    expect((await getMessages(env.context(), b.uid, { conversationId })).items[0].text).toBe(text);
  });
});

describe("getMessages", () => {
  it("pages newest first with nextCursor (or an ISO instant in before)", async () => {
    const { a, b, conversationId } = await friends("page");
    const sender = new RecordingAlertSender();
    for (let i = 1; i <= 5; i++)
      await sendMessage(env.context(), sender, i % 2 ? a.uid : b.uid, { conversationId, clientMessageId: `p${i}`, text: `m${i}` });
    const texts: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await getMessages(env.context(), b.uid, { conversationId, limit: 2, before });
      texts.push(...page.items.map((m) => m.text ?? ""));
      if (!page.nextCursor) break;
      before = page.nextCursor;
    }
    expect(texts).toEqual(["m5", "m4", "m3", "m2", "m1"]);
    const all = (await getMessages(env.context(), a.uid, { conversationId })).items;
    expect(all.map((m) => m.text)).toEqual(texts);
    const older = await getMessages(env.context(), a.uid, { conversationId, before: all[2].createdAt });
    expect(older.items.map((m) => m.text).every((t) => ["m2", "m1"].includes(t ?? ""))).toBe(true);
  });

  it("reads each distinct show and season document once per page", async () => {
    const shows = [uniqueShowId(), uniqueShowId()];
    const items = shows.flatMap((showId) =>
      [1, 2, 1, 2].map((episode) => ({ media: { type: "episode" as const, showId, season: 1, episode }, title: "x", season: 1, episode })),
    );
    const { docsRead } = await refreshShared(env.context(), [...items, null]);
    expect(docsRead).toBe(4); // 2 shows + 2 seasons, for 8 shared items
  });
});

describe("shared items in each reader's language (CONTRACT §11)", () => {
  /** Episode 1 translated, 2 a French placeholder, 3 an empty French name. */
  const bilingual = (name: string): ShowSpec => ({
    name,
    seasons: [{ episodes: 3, airDates: ["2024-01-01", "2024-01-08", "2024-01-15"], names: ["Pilot", "The Road", "Night"] }],
    translations: { "fr-FR": { name: `${name} (VF)`, seasons: { "1": ["Pilote", null, ""] } } },
  });
  const french = (uid: string) => preferencesRef(env.db, uid).set({ language: "fr-FR", timeZone: "Europe/Paris" });
  const frenchRequests = async (showId: number) => (await env.fake.requests(`/tv/${showId}`)).filter((r) => r.query.language === "fr-FR");
  const names = (items: Awaited<ReturnType<typeof getMessages>>["items"]) => items.map((m) => [m.shared?.title, m.shared?.episodeName]);

  it("a French and an English member of one conversation each read the names in their language; a placeholder falls back", async () => {
    const { a, b, conversationId } = await friends("lang");
    await french(b.uid);
    const showId = uniqueShowId();
    await env.fake.setShow(showId, bilingual("Polyglot"));
    const sender = new RecordingAlertSender();
    for (const episode of [1, 2, 3])
      await sendMessage(env.context(), sender, a.uid, {
        conversationId,
        clientMessageId: `lang-${episode}`,
        share: { type: "episode", showId, season: 1, episode },
      });
    await sendMessage(env.context(), sender, a.uid, { conversationId, clientMessageId: "lang-show", share: { type: "show", showId } });

    // The stored snapshot is the default language's, whoever reads it.
    const stored = await env.db.collection("conversations").doc(conversationId).collection("messages").get();
    expect(stored.docs.map((d) => d.get("shared.title"))).toEqual(["Polyglot", "Polyglot", "Polyglot", "Polyglot"]);

    const fr = await getMessages(env.context(), b.uid, { conversationId });
    expect(names(fr.items)).toEqual([
      ["Polyglot (VF)", undefined],
      ["Polyglot (VF)", "Night"],
      ["Polyglot (VF)", "The Road"],
      ["Polyglot (VF)", "Pilote"],
    ]);
    const en = await getMessages(env.context(), a.uid, { conversationId });
    expect(names(en.items)).toEqual([
      ["Polyglot", undefined],
      ["Polyglot", "Night"],
      ["Polyglot", "The Road"],
      ["Polyglot", "Pilot"],
    ]);
    // One French request for the show's names (the show and its season together), for 4 shared items.
    expect(await frenchRequests(showId)).toHaveLength(1);
  });

  it("two French readers of a cold show: its French names are asked of TMDB once, for both", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, bilingual("Crowded"));
    const [one, two] = [await friends("fra"), await friends("frb")];
    for (const { a, b, conversationId } of [one, two]) {
      await french(b.uid);
      await sendMessage(env.context(), new RecordingAlertSender(), a.uid, {
        conversationId,
        clientMessageId: "cold",
        share: { type: "episode", showId, season: 1, episode: 1 },
      });
    }
    expect(await frenchRequests(showId)).toHaveLength(0); // the senders are English: nothing French yet
    const [first, second] = await Promise.all(
      [one, two].map(({ b, conversationId }) => getMessages(env.context(), b.uid, { conversationId })),
    );
    for (const page of [first, second]) expect(names(page.items)).toEqual([["Crowded (VF)", "Pilote"]]);
    expect(await frenchRequests(showId)).toHaveLength(1);
    // Warm: a third read asks TMDB nothing.
    const before = (await env.fake.stats()).total;
    await getMessages(env.context(), one.b.uid, { conversationId: one.conversationId });
    expect((await env.fake.stats()).total).toBe(before);
  });

  it("a page over several shows asks for each show's names once, however many messages share it", async () => {
    const { a, b, conversationId } = await friends("batch");
    await french(b.uid);
    const shows = [uniqueShowId(), uniqueShowId()];
    for (const showId of shows) await env.fake.setShow(showId, bilingual(`Batch ${showId}`));
    let n = 0;
    for (const showId of shows)
      for (const episode of [1, 2, 3, 1, 2])
        await sendMessage(env.context(), new RecordingAlertSender(), a.uid, {
          conversationId,
          clientMessageId: `batch-${n++}`,
          share: { type: "episode", showId, season: 1, episode },
        });
    const ctx = env.context();
    const page = await getMessages(ctx, b.uid, { conversationId });
    expect(page.items).toHaveLength(10);
    expect(ctx.tmdb.requestCount).toBe(2);
    for (const showId of shows) expect(await frenchRequests(showId)).toHaveLength(1);
    const { docsRead } = await refreshShared(
      env.context(),
      page.items.map((m) => m.shared),
      "fr-FR",
    );
    expect(docsRead).toBe(8); // 2 shows + 2 seasons, and their French name documents, for 10 shared items
  });

  it("the push names a share in the recipient's language; the conversation's preview stays in the default one", async () => {
    const { a, b, conversationId } = await friends("push");
    await french(b.uid);
    await registerDevice(env.context(), b.uid, { token: "b-phone-fr", platform: "ios" });
    const showId = uniqueShowId();
    await env.fake.setShow(showId, bilingual("Pushed"));
    const sender = new RecordingAlertSender();
    await sendMessage(env.context(), sender, a.uid, {
      conversationId,
      clientMessageId: "push",
      share: { type: "episode", showId, season: 1, episode: 1 },
    });
    expect(sender.sent.map((m) => m.body)).toEqual(["Shared Pushed (VF) S01E01 “Pilote”"]);
    expect((await env.db.collection("conversations").doc(conversationId).get()).get("lastMessage.preview")).toBe(
      "Shared Pushed S01E01 “Pilot”",
    );
  });
});

describe("account deletion", () => {
  it("removes profile, handle, friendships, requests and blocks; messages stay, from a deleted user", async () => {
    const { a, b, conversationId } = await friends("del");
    const c = await person("cy");
    const d = await person("dee");
    await sendFriendRequest(env.context(), a.uid, { handle: c.handle });
    await sendFriendRequest(env.context(), d.uid, { handle: a.handle });
    await setBlocked(env.context(), a.uid, { uid: uniqueId("someone"), blocked: true });
    await sendMessage(env.context(), new RecordingAlertSender(), a.uid, { conversationId, clientMessageId: "last", text: "bye" });

    await deleteSocialAccountData(env.db, a.uid);
    await deleteSocialAccountData(env.db, a.uid); // again: nothing left, no error

    expect((await env.db.collection("public_profiles").doc(a.uid).get()).exists).toBe(false);
    expect((await env.db.collection("handles").doc(a.handle.toLowerCase()).get()).exists).toBe(false);
    expect((await user(b.uid).collection("friends").get()).size).toBe(0);
    expect((await user(a.uid).collection("friends").get()).size).toBe(0);
    expect((await user(c.uid).collection("friend_requests").get()).size).toBe(0);
    expect((await user(a.uid).collection("friend_requests").get()).size).toBe(0);
    expect((await user(a.uid).collection("blocked").get()).size).toBe(0);
    const { items } = await getMessages(env.context(), b.uid, { conversationId });
    expect(items.map((m) => [m.text, m.senderUid, m.sender])).toEqual([
      ["bye", a.uid, { handle: null, displayName: "Deleted user", deleted: true }],
    ]);
    // The handle is free for anyone.
    const newcomer = uniqueId("new");
    expect(await setPublicProfile(env.context(), newcomer, { handle: a.handle, displayName: "New" })).toEqual({ handle: a.handle });
  });
});

describe("through the callables", () => {
  it("rejects bad messages with invalid-argument naming the field", async () => {
    const { a, conversationId } = await friends("badmsg");
    const cases: Array<[unknown, RegExp]> = [
      [{ conversationId, clientMessageId: "x", text: "x".repeat(2001) }, /^text:/],
      [{ conversationId, clientMessageId: "x" }, /^text:/],
      [{ conversationId, clientMessageId: "x", share: { type: "episode", showId: 1399, season: 1 } }, /^share/],
      [{ conversationId, text: "hi" }, /^clientMessageId:/],
    ];
    for (const [payload, message] of cases) {
      const outcome = await call("sendMessage", payload, a.uid);
      expect(code(outcome)).toBe("invalid-argument");
      expect((outcome as { error: HttpsError }).error.message).toMatch(message);
    }
    expect(code(await call("sendMessage", { conversationId, clientMessageId: "x", text: "x".repeat(2000) }, a.uid))).toBe("ok");
    expect(code(await call("getMessages", { conversationId, limit: 101 }, a.uid))).toBe("invalid-argument");
  });

  it("limits messages per minute and friend requests per day (resource-exhausted), per user", async () => {
    const { a, b, conversationId } = await friends("flood");
    const codes: string[] = [];
    for (let i = 0; i < FLOOD + 2; i++)
      codes.push(code(await call("sendMessage", { conversationId, clientMessageId: `f${i}`, text: "spam" }, a.uid)));
    expect(codes.slice(0, FLOOD).every((c) => c === "ok")).toBe(true);
    expect(codes.slice(FLOOD)).toEqual(["resource-exhausted", "resource-exhausted"]);
    // The other member keeps their own budget.
    expect(code(await call("sendMessage", { conversationId, clientMessageId: "reply", text: "stop" }, b.uid))).toBe("ok");

    const requester = await person("asker");
    const requestCodes: string[] = [];
    for (let i = 0; i < FLOOD + 1; i++)
      requestCodes.push(code(await call("sendFriendRequest", { handle: handleFor("nobody") }, requester.uid)));
    expect(requestCodes.slice(0, FLOOD).every((c) => c === "not-found")).toBe(true);
    expect(requestCodes[FLOOD]).toBe("resource-exhausted");
  });

  it("answers permission-denied, never internal, to a conversation the caller is not in", async () => {
    const { conversationId } = await friends("perm");
    expect(code(await call("sendMessage", { conversationId, clientMessageId: "x", text: "hi" }, uniqueId("intruder")))).toBe(
      "permission-denied",
    );
    expect(code(await call("getMessages", { conversationId }, uniqueId("intruder")))).toBe("permission-denied");
  });
});
