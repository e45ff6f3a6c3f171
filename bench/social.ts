/**
 * Issue 24's rows: direct messages (CONTRACT §10) through the module code, on the counted Firestore.
 * - 50 conversations × 20 messages sent at once (1,000 sends in flight, 100 at a time): p50/p95 send
 *   time, Firestore reads and writes per message (the recipient has one registered device);
 * - getMessages of 50 messages sharing 20 different episodes of 5 shows, warm: reads, TMDB requests; then
 *   the same page for a French reader (CONTRACT §11), its French names cold, then warm;
 * - 200 users sharing the same cold episode at once: TMDB requests (the cache's one-fetch bound).
 * Called from bench/run.ts (`--only=social`).
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import pLimit from "p-limit";
import type { AppContext } from "../functions/src/shared/app";
import { deviceId } from "../functions/src/library/devices";
import { preferencesRef } from "../functions/src/language/preferences";
import { RecordingAlertSender } from "../functions/src/nightly/alertSender";
import { conversationIdFor, conversationRef, friendRef, publicProfileRef } from "../functions/src/social/documents";
import { getMessages, sendMessage } from "../functions/src/social/messages";
import type { FakeTmdbControl } from "../tools/fake-tmdb/control";
import type { FirestoreCounts } from "./firestoreCounter";
import { measure } from "./measure";

export interface SocialBenchDeps {
  fake: { control: FakeTmdbControl };
  seedDb: Firestore;
  firestoreCounts: () => FirestoreCounts;
  instance: () => AppContext;
  uid: (label: string) => string;
  phase: (text: string) => void;
  phaseDone: (detail?: string) => void;
}

export interface SocialBenchRow {
  row: string;
  operations: number;
  p50Ms: number | null;
  p95Ms: number | null;
  readsPerOp: number;
  writesPerOp: number;
  firestoreReads: number;
  tmdbRequests: number;
  wallMs: number;
}

const FIRST_SHOW_ID = 8_100_001;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Friends with a conversation and public profiles, written directly (seeding is not measured). */
async function seedPairs(db: Firestore, pairs: Array<[string, string]>, withDevice: boolean): Promise<string[]> {
  const writer = db.bulkWriter();
  const now = Timestamp.now();
  const ids: string[] = [];
  for (const [a, b] of pairs) {
    const id = conversationIdFor(a, b);
    ids.push(id);
    for (const [me, other] of [
      [a, b],
      [b, a],
    ]) {
      void writer.set(friendRef(db, me, other), { since: now });
      void writer.set(publicProfileRef(db, me), { handle: me.slice(0, 30), displayName: me, createdAt: now });
      if (withDevice) {
        const token = `token-${me}`;
        void writer.set(db.collection("users").doc(me).collection("devices").doc(deviceId(token)), {
          token,
          platform: "android",
          registeredAt: now,
          updatedAt: now,
        });
      }
    }
    void writer.set(conversationRef(db, id), { members: [a, b].sort(), createdAt: now, lastMessageAt: null, lastMessage: null });
  }
  await writer.close();
  return ids;
}

export async function socialBench(deps: SocialBenchDeps): Promise<SocialBenchRow[]> {
  const rows: SocialBenchRow[] = [];
  const sender = new RecordingAlertSender();

  // 1. 50 conversations × 20 messages, all at once.
  deps.phase("sendMessage: 50 conversations × 20 messages at once");
  const pairs = Array.from({ length: 50 }, (_, i) => [deps.uid(`dm-a${i}`), deps.uid(`dm-b${i}`)] as [string, string]);
  const conversations = await seedPairs(deps.seedDb, pairs, true);
  const ctx = deps.instance();
  const limit = pLimit(100);
  const times: number[] = [];
  const sends = conversations.flatMap((conversationId, i) =>
    Array.from({ length: 20 }, (_, k) =>
      limit(async () => {
        const started = performance.now();
        await sendMessage(ctx, sender, pairs[i][0], { conversationId, clientMessageId: `bench-${k}`, text: `message ${k}` });
        times.push(performance.now() - started);
      }),
    ),
  );
  const sent = await measure(deps.fake.control, deps.firestoreCounts, () => Promise.all(sends));
  times.sort((a, b) => a - b);
  const unread = await deps.seedDb.getAll(...pairs.map(([, b], i) => deps.seedDb.doc(`users/${b}/conversations/${conversations[i]}`)));
  const exact = unread.every((snap) => snap.get("unread") === 20);
  rows.push({
    row: "sendMessage, 50 conversations × 20 messages at once",
    operations: times.length,
    p50Ms: Math.round(percentile(times, 50)),
    p95Ms: Math.round(percentile(times, 95)),
    readsPerOp: round(sent.measurement.firestoreReads / times.length),
    writesPerOp: round(sent.measurement.firestoreWrites / times.length),
    firestoreReads: sent.measurement.firestoreReads,
    tmdbRequests: sent.measurement.tmdbRequests,
    wallMs: sent.measurement.wallMs,
  });
  deps.phaseDone(`p50 ${rows[0].p50Ms} ms, p95 ${rows[0].p95Ms} ms, unread exact: ${exact}, pushes: ${sender.sent.length}`);

  // 2. A page of 50 messages sharing 20 episodes of 5 shows, warm.
  deps.phase("getMessages: 50 messages sharing 20 episodes of 5 shows (warm)");
  const shows = Array.from({ length: 5 }, (_, i) => FIRST_SHOW_ID + i);
  for (const showId of shows)
    await deps.fake.control.setShow(showId, { name: `Shared show ${showId}`, seasons: [{ episodes: 8, airDate: "2020-01-01" }] });
  const [reader, writer] = [deps.uid("dm-reader"), deps.uid("dm-writer")];
  const [conversationId] = await seedPairs(deps.seedDb, [[reader, writer]], false);
  const warmCtx = deps.instance();
  for (let m = 0; m < 50; m++) {
    const e = m % 20;
    await sendMessage(warmCtx, sender, writer, {
      conversationId,
      clientMessageId: `share-${m}`,
      share: { type: "episode", showId: shows[e % 5], season: 1, episode: 1 + Math.floor(e / 5) },
    });
  }
  const page = await measure(deps.fake.control, deps.firestoreCounts, () =>
    getMessages(deps.instance(), reader, { conversationId, limit: 50 }),
  );
  rows.push({
    row: "getMessages, 50 messages sharing 20 episodes of 5 shows (warm)",
    operations: 1,
    p50Ms: null,
    p95Ms: null,
    readsPerOp: page.measurement.firestoreReads,
    writesPerOp: page.measurement.firestoreWrites,
    firestoreReads: page.measurement.firestoreReads,
    tmdbRequests: page.measurement.tmdbRequests,
    wallMs: page.measurement.wallMs,
  });
  deps.phaseDone(
    `${page.value.items.length} items, ${page.measurement.firestoreReads} reads, ${page.measurement.tmdbRequests} TMDB requests`,
  );

  // 2b. The same page for a reader whose language is French: the names cold (one TMDB request per show), then warm.
  await preferencesRef(deps.seedDb, reader).set({ language: "fr-FR", timeZone: "Europe/Paris", updatedAt: Timestamp.now() });
  for (const state of ["French names cold", "warm"]) {
    deps.phase(`getMessages: the same page, a French reader (${state})`);
    const french = await measure(deps.fake.control, deps.firestoreCounts, () =>
      getMessages(deps.instance(), reader, { conversationId, limit: 50 }),
    );
    rows.push({
      row: `getMessages, the same page, a French reader (${state})`,
      operations: 1,
      p50Ms: null,
      p95Ms: null,
      readsPerOp: french.measurement.firestoreReads,
      writesPerOp: french.measurement.firestoreWrites,
      firestoreReads: french.measurement.firestoreReads,
      tmdbRequests: french.measurement.tmdbRequests,
      wallMs: french.measurement.wallMs,
    });
    deps.phaseDone(`${french.measurement.firestoreReads} reads, ${french.measurement.tmdbRequests} TMDB requests`);
  }

  // 3. 200 users share the same cold episode at once (100 pairs, both sides sending).
  deps.phase("sendMessage: 200 users share the same cold episode at once");
  const coldShow = FIRST_SHOW_ID + 10;
  await deps.fake.control.setShow(coldShow, { name: "Cold show", seasons: [{ episodes: 10, airDate: "2021-01-01" }] });
  const crowd = Array.from({ length: 100 }, (_, i) => [deps.uid(`crowd-a${i}`), deps.uid(`crowd-b${i}`)] as [string, string]);
  const crowdConversations = await seedPairs(deps.seedDb, crowd, false);
  const crowdTimes: number[] = [];
  const crowdSends = crowd.flatMap((pair, i) =>
    pair.map(async (uid) => {
      const started = performance.now();
      // Each sender on its own instance: nothing shared but Firestore and TMDB.
      await sendMessage(deps.instance(), sender, uid, {
        conversationId: crowdConversations[i],
        clientMessageId: "crowd",
        share: { type: "episode", showId: coldShow, season: 1, episode: 5 },
      });
      crowdTimes.push(performance.now() - started);
    }),
  );
  const shared = await measure(deps.fake.control, deps.firestoreCounts, () => Promise.all(crowdSends));
  crowdTimes.sort((a, b) => a - b);
  rows.push({
    row: "sendMessage, 200 users share the same cold episode at once",
    operations: crowdTimes.length,
    p50Ms: Math.round(percentile(crowdTimes, 50)),
    p95Ms: Math.round(percentile(crowdTimes, 95)),
    readsPerOp: round(shared.measurement.firestoreReads / crowdTimes.length),
    writesPerOp: round(shared.measurement.firestoreWrites / crowdTimes.length),
    firestoreReads: shared.measurement.firestoreReads,
    tmdbRequests: shared.measurement.tmdbRequests,
    wallMs: shared.measurement.wallMs,
  });
  deps.phaseDone(`${shared.measurement.tmdbRequests} TMDB requests`);
  return rows;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function socialTable(rows: SocialBenchRow[]): string {
  const header = "| direct messages | operations | p50 | p95 | reads / op | writes / op | Firestore reads | TMDB requests | wall |";
  const ms = (n: number | null) => (n === null ? "–" : `${n} ms`);
  const lines = rows.map(
    (r) =>
      `| ${r.row} | ${r.operations} | ${ms(r.p50Ms)} | ${ms(r.p95Ms)} | ${r.readsPerOp} | ${r.writesPerOp} | ${r.firestoreReads} | ${r.tmdbRequests} | ${(r.wallMs / 1000).toFixed(2)} s |`,
  );
  return [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", ...lines].join("\n");
}
