import { deleteApp, getApp, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp, type Firestore } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import * as exported from "../../functions/src/index";
import { membershipRef, profilesCollection } from "../../functions/src/households/documents";
import { createHouseholdInvite, joinHousehold } from "../../functions/src/households/households";
import { historyCollection } from "../../functions/src/tracking/plays";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { startFakeTmdb, type FakeTmdb } from "../../tools/fake-tmdb/server";
import { authFor, discoverCallables, invoke, inProcessHandlerEnv, projectId, treeOf, type DiscoveredCallable } from "./hostileHarness";

/**
 * Households and profiles (CONTRACT §9) through the real trigger layer (auth, validation, the one
 * place profiles are authorised), in process against the Firestore emulator and a fake TMDB.
 */
let db: Firestore;
let fake: FakeTmdb;
const byName = new Map(discoverCallables(exported).map(({ name, fn }) => [name, fn]));

beforeAll(async () => {
  fake = await startFakeTmdb({ port: 0 });
  inProcessHandlerEnv(fake.url);
  process.env.RATE_LIMIT_ENRICH_PER_MINUTE = "0";
  initializeApp({ projectId: projectId() });
  db = getFirestore(getApp());
  const logger = jest.requireActual<Record<string, (...args: unknown[]) => void>>("firebase-functions/logger");
  for (const level of ["debug", "info", "log", "warn"]) jest.spyOn(logger, level).mockImplementation(() => undefined);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await fake.close();
  await deleteApp(getApp());
});

const fresh = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;
let nextShow = 700_000 + Math.floor(Math.random() * 90_000) * 10;
async function newShow(seasons = 2): Promise<number> {
  nextShow += 1;
  if (String(nextShow).endsWith("404")) nextShow += 1;
  await fake.setShow(nextShow, {
    name: "Together",
    seasons: Array.from({ length: seasons }, () => ({ episodes: 4, airDate: "2020-01-01" })),
  });
  return nextShow;
}

async function call<T = Record<string, unknown>>(name: string, uid: string, data: unknown): Promise<T> {
  const outcome = await invoke(byName.get(name) as DiscoveredCallable, data, authFor(uid));
  if (!outcome.ok) throw outcome.error;
  return outcome.value as T;
}
async function codeOf(name: string, uid: string, data: unknown): Promise<string> {
  const outcome = await invoke(byName.get(name) as DiscoveredCallable, data, authFor(uid));
  return outcome.ok ? "ok" : outcome.error instanceof HttpsError ? outcome.error.code : `crash: ${String(outcome.error)}`;
}
async function messageOf(name: string, uid: string, data: unknown): Promise<string> {
  const outcome = await invoke(byName.get(name) as DiscoveredCallable, data, authFor(uid));
  return outcome.ok ? "ok" : (outcome.error as HttpsError).message;
}

/** A household: its owner, a member, and a managed profile. */
async function household() {
  const owner = fresh("owner");
  const member = fresh("member");
  const { householdId } = await call<{ householdId: string }>("createHousehold", owner, { name: "Sofa" });
  const { code } = await call<{ code: string }>("createHouseholdInvite", owner, {});
  await call("joinHousehold", member, { code });
  const { profileId: kid } = await call<{ profileId: string }>("createProfile", owner, { name: "Kid" });
  return { owner, member, kid, householdId };
}

async function plays(uid: string, showId: number): Promise<number> {
  return (await historyCollection(db, uid).where("showId", "==", showId).count().get()).data().count;
}

describe("households, invites and profiles", () => {
  it("creates a household with its documents, and a second one is failed-precondition", async () => {
    const { owner, member, kid, householdId } = await household();
    const created = await db.doc(`households/${householdId}`).get();
    expect(created.data()).toMatchObject({ name: "Sofa", ownerUid: owner, createdAt: expect.any(Timestamp) });
    expect((await db.doc(`households/${householdId}/members/${owner}`).get()).get("role")).toBe("owner");
    expect((await db.doc(`households/${householdId}/members/${member}`).get()).get("role")).toBe("member");
    const profiles = await profilesCollection(db, householdId).get();
    expect(Object.fromEntries(profiles.docs.map((d) => [d.id, d.get("kind")]))).toEqual({
      [owner]: "account",
      [member]: "account",
      [kid]: "managed",
    });
    expect(await codeOf("createHousehold", owner, { name: "Again" })).toBe("failed-precondition");
    expect(await codeOf("createHousehold", member, { name: "Mine" })).toBe("failed-precondition");
  });

  it("stores invites only as a hash; a code is single use, and unknown, used or expired codes are not-found", async () => {
    const { owner } = await household();
    const { code, expiresAt } = await call<{ code: string; expiresAt: string }>("createHouseholdInvite", owner, {});
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    const invites = await db.collection("household_invites").where("createdBy", "==", owner).get();
    expect(JSON.stringify(invites.docs.map((d) => [d.id, d.data()]))).not.toContain(code.replace(/-/g, ""));

    const first = fresh("joiner");
    expect(await codeOf("joinHousehold", first, { code: code.toLowerCase() })).toBe("ok");
    // Sent again by the one who joined (a lost answer): the same answer.
    expect(await codeOf("joinHousehold", first, { code })).toBe("ok");
    expect(await codeOf("joinHousehold", fresh("late"), { code })).toBe("not-found");
    expect(await codeOf("joinHousehold", fresh("guess"), { code: "ABCD-EFGH-JKLM" })).toBe("not-found");

    const ctx = { db, clock: () => new Date() };
    const old = await createHouseholdInvite({ db, clock: () => new Date(Date.now() - 8 * 24 * 3600 * 1000) }, owner);
    await expect(joinHousehold(ctx, fresh("expired"), { code: old.code.replace(/-/g, "") })).rejects.toMatchObject({ code: "not-found" });
  });

  it("lets exactly one of two people racing with one code join", async () => {
    const { owner, householdId } = await household();
    const { code } = await call<{ code: string }>("createHouseholdInvite", owner, {});
    const racers = Array.from({ length: 4 }, () => fresh("racer"));
    const codes = await Promise.all(racers.map((uid) => codeOf("joinHousehold", uid, { code })));
    expect(codes.filter((c) => c === "ok")).toHaveLength(1);
    expect(codes.filter((c) => c !== "ok").every((c) => c === "not-found")).toBe(true);
    const joined = await Promise.all(racers.map(async (uid) => (await membershipRef(db, uid).get()).get("householdId") as unknown));
    expect(joined.filter((h) => h === householdId)).toHaveLength(1);
  });

  it("refuses joining a second household, the owner leaving while others remain, removing oneself, and a member removing", async () => {
    const a = await household();
    const b = await household();
    const { code } = await call<{ code: string }>("createHouseholdInvite", b.owner, {});
    expect(await codeOf("joinHousehold", a.member, { code })).toBe("failed-precondition");
    expect(await codeOf("leaveHousehold", a.owner, {})).toBe("failed-precondition");
    expect(await codeOf("removeHouseholdMember", a.owner, { uid: a.owner })).toBe("invalid-argument");
    expect(await codeOf("removeHouseholdMember", a.member, { uid: a.owner })).toBe("permission-denied");
    expect(await codeOf("removeHouseholdMember", a.owner, { uid: b.member })).toBe("not-found");
    expect((await membershipRef(db, b.member).get()).get("householdId")).toBe(b.householdId);
  });

  it("caps a household at 12 profiles", async () => {
    const { owner } = await household();
    // 3 already: owner, member, kid.
    for (let i = 0; i < 9; i++) await call("createProfile", owner, { name: `P${i}` });
    expect(await codeOf("createProfile", owner, { name: "13th" })).toBe("failed-precondition");
    const { code } = await call<{ code: string }>("createHouseholdInvite", owner, {});
    expect(await codeOf("joinHousehold", fresh("full"), { code })).toBe("failed-precondition");
  });

  it("removing a member and leaving end their membership; the last member leaving deletes the household and its managed profiles' data", async () => {
    const { owner, member, kid, householdId } = await household();
    const showId = await newShow();
    await call("markWatched", owner, { showId, target: { type: "season", season: 1 }, profileId: kid });
    expect(await call("removeHouseholdMember", owner, { uid: member })).toEqual({ removed: true });
    expect((await membershipRef(db, member).get()).exists).toBe(false);
    expect((await db.doc(`households/${householdId}/profiles/${member}`).get()).exists).toBe(false);
    expect(await codeOf("markWatched", member, { showId, target: { type: "season", season: 2 }, profileId: kid })).toBe(
      "permission-denied",
    );

    expect(await call("leaveHousehold", owner, {})).toEqual({ left: true });
    expect((await db.doc(`households/${householdId}`).get()).exists).toBe(false);
    expect((await profilesCollection(db, householdId).get()).size).toBe(0);
    expect(await treeOf(db, kid)).toBe("");
    // Not in a household any more: leaving again is a no-op.
    expect(await call("leaveHousehold", owner, {})).toEqual({ left: true });
  });

  it("deletes a managed profile with its data; anything else is permission-denied", async () => {
    const { owner, member, kid } = await household();
    const other = await household();
    const showId = await newShow();
    await call("markWatched", member, { showId, target: { type: "season", season: 1 }, profileId: kid });
    expect(await codeOf("deleteProfile", member, { profileId: owner })).toBe("permission-denied");
    expect(await codeOf("deleteProfile", member, { profileId: other.kid })).toBe("permission-denied");
    expect(await call("deleteProfile", member, { profileId: kid })).toEqual({ deleted: true });
    expect(await treeOf(db, kid)).toBe("");
    expect(await call("deleteProfile", member, { profileId: kid })).toEqual({ deleted: true });
    expect(await codeOf("markWatched", owner, { showId, target: { type: "season", season: 1 }, profileId: kid })).toBe("permission-denied");
  });
});

describe("profileId on the callables that act on a user's own data", () => {
  it("acts on a managed profile of the caller's household", async () => {
    const { member, kid } = await household();
    const showId = await newShow();
    expect(await call("markWatched", member, { showId, target: { type: "season", season: 1 }, profileId: kid })).toEqual({
      showId,
      changed: 4,
    });
    expect(await plays(kid, showId)).toBe(4);
    expect(await plays(member, showId)).toBe(0);
    const progress = await call<{ completed: number }>("getShowProgress", member, { showId, profileId: kid });
    expect(progress.completed).toBe(4);
    expect((await call<{ completed: number }>("getShowProgress", member, { showId })).completed).toBe(0);
    await call("savePlayback", member, {
      media: { type: "episode", showId, season: 2, episode: 1 },
      positionSeconds: 600,
      durationSeconds: 2400,
      profileId: kid,
    });
    expect((await db.doc(`users/${kid}/playback/tv_${showId}_2_1`).get()).exists).toBe(true);
    // Its own uid as profileId is the caller's own data.
    expect(await codeOf("getLibrary", member, { profileId: member })).toBe("ok");
  });

  it("is permission-denied for another member's account, another household's profile or an unknown id, alike and writing nothing", async () => {
    const a = await household();
    const b = await household();
    const showId = await newShow();
    const request = (profileId: string) => ({ showId, target: { type: "season", season: 1 }, profileId });
    const before = await Promise.all([a.owner, b.kid, "profile_nobody"].map((uid) => treeOf(db, uid)));
    const messages = await Promise.all([a.owner, b.kid, "profile_nobody"].map((p) => messageOf("markWatched", a.member, request(p))));
    expect(new Set(messages).size).toBe(1);
    for (const p of [a.owner, b.kid, "profile_nobody"]) expect(await codeOf("markWatched", a.member, request(p))).toBe("permission-denied");
    expect(await codeOf("createWebhook", a.member, { kind: "plex", profileId: a.owner })).toBe("permission-denied");
    expect(await codeOf("createImport", fresh("loner"), { fileName: "a.csv", sizeBytes: 10, profileId: a.kid })).toBe("permission-denied");
    expect(await Promise.all([a.owner, b.kid, "profile_nobody"].map((uid) => treeOf(db, uid)))).toEqual(before);
  });

  it("creates a webhook on the profile, so its events land there", async () => {
    const { member, kid } = await household();
    const { webhookId } = await call<{ webhookId: string }>("createWebhook", member, { kind: "jellyfin", profileId: kid });
    expect((await db.doc(`users/${kid}/webhooks/${webhookId}`).get()).exists).toBe(true);
    const secrets = await db.collection("webhook_secrets").where("webhookId", "==", webhookId).get();
    expect(secrets.docs.map((d) => d.get("uid"))).toEqual([kid]);
  });
});

describe("watch together (markWatched with profileIds)", () => {
  it("marks each profile once, by the rules of marking alone, asking TMDB once per missing season", async () => {
    const { owner, member, kid } = await household();
    const { profileId: kid2 } = await call<{ profileId: string }>("createProfile", owner, { name: "Kid 2" });
    const showId = await newShow(3);
    // The kid had already seen S1E1 alone.
    await call("markWatched", owner, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] }, profileId: kid });
    const tmdbBefore = (await fake.stats()).total;
    const request = { showId, target: { type: "season", season: 2 }, profileIds: [owner, kid, kid2] };
    const answer = await call<{ changed: number; profiles: unknown[] }>("markWatched", owner, request);
    expect(answer).toEqual({
      showId,
      changed: 12,
      profiles: [
        { profileId: owner, changed: 4 },
        { profileId: kid, changed: 4 },
        { profileId: kid2, changed: 4 },
      ],
    });
    // Season 2 was not cached yet: one request for it, whatever the number of profiles.
    expect((await fake.stats()).total - tmdbBefore).toBeLessThanOrEqual(1);
    // Retries and concurrent repeats add nothing.
    const repeats = await Promise.all([1, 2, 3].map(() => call<{ changed: number }>("markWatched", owner, request)));
    expect(repeats.map((r) => r.changed)).toEqual([0, 0, 0]);
    for (const uid of [owner, kid, kid2]) expect(await plays(uid, showId)).toBe(4 + (uid === kid ? 1 : 0));
    expect(await plays(member, showId)).toBe(0);

    // Un-mark then rewatch together: one more play each.
    await call("markWatched", owner, { ...request, watched: false });
    await call("markWatched", owner, request);
    expect(await plays(owner, showId)).toBe(4);
    const entry = (await trackingRef(db, kid, showId).get()).get("episodes.2_1") as { watched: boolean; plays: number };
    expect(entry).toMatchObject({ watched: true, plays: 1 });
  });

  it("refuses duplicates, more than 12 profiles, profileIds with profileId, and a foreign profile — writing nothing", async () => {
    const { owner, member, kid } = await household();
    const other = await household();
    const showId = await newShow();
    const target = { type: "season", season: 1 };
    expect(await codeOf("markWatched", owner, { showId, target, profileIds: [owner, kid, kid] })).toBe("invalid-argument");
    expect(await codeOf("markWatched", owner, { showId, target, profileIds: Array.from({ length: 13 }, (_, i) => `profile_${i}`) })).toBe(
      "invalid-argument",
    );
    expect(await codeOf("markWatched", owner, { showId, target, profileIds: [owner], profileId: kid })).toBe("invalid-argument");
    expect(await codeOf("markWatched", owner, { showId, target, profileIds: [owner, kid, member] })).toBe("permission-denied");
    expect(await codeOf("markWatched", owner, { showId, target, profileIds: [owner, other.kid] })).toBe("permission-denied");
    for (const uid of [owner, kid, member, other.kid]) expect(await plays(uid, showId)).toBe(0);
  });
});
