import { collection, doc, getDoc, getDocs, onSnapshot, orderBy, query, where } from "firebase/firestore";
import { uniqueShowId } from "../support/admin";
import { useE2eEnv } from "../support/e2e";
import { sharedFakeTmdb, type ClientUser } from "../support/client";

/**
 * Friends and direct messages (CONTRACT §10) through the client SDK and the Functions emulator, with
 * every response checked against its schema: handles, friends by handle, a shared episode read with
 * its details, retries, outsiders and the members-only rules.
 */
const e2e = useE2eEnv();
const fake = sharedFakeTmdb();
const handleOf = (u: ClientUser) =>
  `u_${u.uid
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 20)}`;
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: { code?: string }) => error.code,
  );

async function friends(): Promise<{ a: ClientUser; b: ClientUser; conversationId: string }> {
  const [a, b] = [await e2e.user(), await e2e.user()];
  await a.api.setPublicProfile({ handle: handleOf(a), displayName: "Ann" });
  await b.api.setPublicProfile({ handle: handleOf(b), displayName: "Bo" });
  expect(await a.api.sendFriendRequest({ handle: handleOf(b).toUpperCase() })).toEqual({ status: "requested" });
  expect(await b.api.respondFriendRequest({ uid: a.uid, accept: true })).toEqual({ status: "friends" });
  const { conversationId } = await a.api.openConversation({ uid: b.uid });
  expect(await b.api.openConversation({ uid: a.uid })).toEqual({ conversationId });
  return { a, b, conversationId };
}

describe("friends and direct messages through the client SDK", () => {
  it("shares an episode with a friend, who reads it with its name and air date; a retry is the same message", async () => {
    const { a, b, conversationId } = await friends();
    const showId = uniqueShowId();
    await fake.setShow(showId, {
      name: "Shared on the SDK",
      seasons: [{ episodes: 4, airDates: ["2023-02-01", "2023-02-08", "2023-02-15", "2023-02-22"] }],
    });
    // b's list, live.
    const unread = new Promise<number>((resolve) => {
      const stop = onSnapshot(doc(b.firestore(), "users", b.uid, "conversations", conversationId), (snap) => {
        if (snap.get("unread")) {
          stop();
          resolve(snap.get("unread") as number);
        }
      });
    });
    const request = {
      conversationId,
      clientMessageId: "sdk-1",
      text: "watch this",
      share: { type: "episode" as const, showId, season: 1, episode: 3 },
    };
    const [sent, retried] = [await a.api.sendMessage(request), await a.api.sendMessage(request)];
    expect(retried).toEqual(sent);
    expect(await unread).toBe(1);
    const { items, nextCursor } = await b.api.getMessages({ conversationId });
    expect(nextCursor).toBeNull();
    expect(items).toEqual([
      {
        messageId: sent.messageId,
        senderUid: a.uid,
        sender: { handle: handleOf(a), displayName: "Ann", deleted: false },
        type: "shared_episode",
        text: "watch this",
        shared: {
          media: { type: "episode", showId, season: 1, episode: 3 },
          title: "Shared on the SDK",
          season: 1,
          episode: 3,
          episodeName: "S1E3 of Shared on the SDK",
          airDate: "2023-02-15",
        },
        createdAt: sent.createdAt,
      },
    ]);
    expect(await b.api.markConversationRead({ conversationId })).toEqual({ unread: 0 });
    // Both members read the conversation and its messages directly; the list is ordered by lastMessageAt.
    for (const member of [a, b]) {
      const mine = await getDocs(query(collection(member.firestore(), "conversations"), where("members", "array-contains", member.uid)));
      expect(mine.docs.map((d) => d.id)).toEqual([conversationId]);
      expect((await getDocs(collection(member.firestore(), "conversations", conversationId, "messages"))).size).toBe(1);
    }
    const list = await getDocs(query(collection(b.firestore(), "users", b.uid, "conversations"), orderBy("lastMessageAt", "desc")));
    expect(list.docs.map((d) => [d.id, d.get("withUid"), d.get("unread")])).toEqual([[conversationId, a.uid, 0]]);
  });

  it("keeps outsiders out, and answers the contract's codes", async () => {
    const { a, b, conversationId } = await friends();
    const outsider = await e2e.user();
    await outsider.api.setPublicProfile({ handle: handleOf(outsider), displayName: "Out" });
    expect(await code(outsider.api.sendMessage({ conversationId, clientMessageId: "x", text: "hi" }))).toBe("functions/permission-denied");
    expect(await code(outsider.api.getMessages({ conversationId }))).toBe("functions/permission-denied");
    expect(await code(outsider.api.openConversation({ uid: a.uid }))).toBe("functions/permission-denied");
    expect(await code(getDoc(doc(outsider.firestore(), "conversations", conversationId)))).toBe("permission-denied");
    expect(await code(outsider.api.setPublicProfile({ handle: handleOf(a).toUpperCase(), displayName: "Thief" }))).toBe(
      "functions/already-exists",
    );
    expect(await code(outsider.api.setPublicProfile({ handle: "has space", displayName: "X" }))).toBe("functions/invalid-argument");
    expect(await code(a.api.sendMessage({ conversationId, clientMessageId: "nf", share: { type: "show", showId: 7404 } }))).toBe(
      "functions/not-found",
    );
    expect(await code(a.api.sendMessage({ conversationId, clientMessageId: "long", text: "x".repeat(2001) }))).toBe(
      "functions/invalid-argument",
    );
    // Blocked: the friendship ends, the blocked user's sends are refused and their requests answered but dropped.
    expect(await a.api.setBlocked({ uid: b.uid, blocked: true })).toEqual({ blocked: true });
    expect(await code(b.api.sendMessage({ conversationId, clientMessageId: "after", text: "hello?" }))).toBe("functions/permission-denied");
    expect(await b.api.sendFriendRequest({ handle: handleOf(a) })).toEqual({ status: "requested" });
    expect((await getDocs(collection(a.firestore(), "users", a.uid, "friend_requests"))).size).toBe(0);
  });
});
