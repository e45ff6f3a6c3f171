import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assertFails, assertSucceeds, initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  documentId,
  getDoc,
  getDocs,
  query,
  setDoc,
  setLogLevel,
  updateDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import { projectId } from "../support/admin";

/**
 * firestore.rules (docs/API.md: Firestore paths) as a matrix: every role × every kind of document × every operation.
 * A project of its own, so `clearFirestore` and the rules it loads touch no other suite's data.
 */
const OWNER = "alice";
const OTHER = "bob";
type Role = "owner" | "other user" | "signed out";
type Op = "get" | "list" | "create" | "update" | "delete";
type Access = "owner" | "signed-in" | "nobody";

/** One document of each kind a client might try, with who may read it. Nobody writes anything. */
const DOCS: { path: string; read: Access; list?: Access }[] = [
  // Listing its parent means listing `users`: nobody may.
  { path: `users/${OWNER}`, read: "owner", list: "nobody" },
  { path: `users/${OWNER}/episode_tracking/1399`, read: "owner" },
  { path: `users/${OWNER}/history/trakt_9001`, read: "owner" },
  { path: `users/${OWNER}/playback/tv_1399_1_1`, read: "owner" },
  { path: `users/${OWNER}/reactions/1399_1_1`, read: "owner" },
  // The library (docs/API.md: library callables): every collection of it is the owner's to read, nobody's to write.
  { path: `users/${OWNER}/watchlist/tv_1399`, read: "owner" },
  { path: `users/${OWNER}/ratings/tv_1399_1_1`, read: "owner" },
  { path: `users/${OWNER}/devices/${"a".repeat(64)}`, read: "owner" },
  { path: `users/${OWNER}/inbox/1399_8_6`, read: "owner" },
  { path: `users/${OWNER}/calendar_feed/feed`, read: "owner" },
  // The library summary (issue 16): a client listens to it; the owner only.
  { path: `users/${OWNER}/library/summary`, read: "owner" },
  // Its shards (issue 22): a client of a large library listens to them too.
  { path: `users/${OWNER}/library/summary-1`, read: "owner" },
  { path: "tmdb_cache/tv/seasons/1399_1", read: "signed-in" },
  { path: "tmdb_cache/tv/shows/1399", read: "signed-in" },
  { path: "tmdb_cache/movie/details/550", read: "signed-in" },
  { path: "reaction_counts/1399_1_1", read: "signed-in" },
  { path: "reaction_counts/1399_1_1/shards/3", read: "signed-in" },
  { path: `ops/rate_limits/users/${OWNER}`, read: "nobody" },
  { path: "ops/nightly", read: "nobody" },
  { path: "config/secrets", read: "nobody" },
];
const ROLES: Role[] = ["owner", "other user", "signed out"];
const OPS: Op[] = ["get", "list", "create", "update", "delete"];

const mayRead = (access: Access, role: Role) => (access === "signed-in" ? role !== "signed out" : access === "owner" && role === "owner");

let env: RulesTestEnvironment;
const firestoreAs: Partial<Record<Role, Firestore>> = {};

beforeAll(async () => {
  // Denied writes are the point here; the SDK would log each one as a warning.
  setLogLevel("error");
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");
  env = await initializeTestEnvironment({
    projectId: `${projectId()}-rules`,
    firestore: { host, port: Number(port), rules: readFileSync(join(__dirname, "../../firestore.rules"), "utf8") },
  });
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (admin) => {
    const db = admin.firestore() as unknown as Firestore;
    for (const { path } of DOCS) await setDoc(doc(db, path), { seeded: true, n: 1 });
    await setDoc(doc(db, `users/${OTHER}/episode_tracking/1399`), { seeded: true, n: 1 });
  });
  // The rules-unit-testing contexts are compat instances; the modular API accepts them.
  firestoreAs.owner = env.authenticatedContext(OWNER).firestore() as unknown as Firestore;
  firestoreAs["other user"] = env.authenticatedContext(OTHER).firestore() as unknown as Firestore;
  firestoreAs["signed out"] = env.unauthenticatedContext().firestore() as unknown as Firestore;
});
afterAll(() => env.cleanup());

function attempt(db: Firestore, path: string, op: Op): Promise<unknown> {
  const parent = path.split("/").slice(0, -1).join("/");
  switch (op) {
    case "get":
      return getDoc(doc(db, path));
    case "list":
      return getDocs(collection(db, parent));
    case "create":
      return setDoc(doc(db, `${parent}/created-by-client`), { n: 1 });
    case "update":
      return updateDoc(doc(db, path), { n: 2 });
    case "delete":
      return deleteDoc(doc(db, path));
  }
}

const matrix = DOCS.flatMap(({ path, read, list = read }) =>
  ROLES.flatMap((role) =>
    OPS.map((op) => ({ path, role, op, allowed: (op === "get" && mayRead(read, role)) || (op === "list" && mayRead(list, role)) })),
  ),
);

describe("firestore.rules matrix", () => {
  it.each(matrix)("$role $op $path → allowed: $allowed", async ({ path, role, op, allowed }) => {
    const db = firestoreAs[role] as Firestore;
    if (allowed) await assertSucceeds(attempt(db, path, op));
    else await assertFails(attempt(db, path, op));
  });
});

describe("queries that reach across users", () => {
  it.each(ROLES)("%s cannot list the users collection", async (role) => {
    await assertFails(getDocs(collection(firestoreAs[role] as Firestore, "users")));
  });

  it.each(ROLES)("%s cannot run a collection-group query over episode_tracking", async (role) => {
    await assertFails(getDocs(collectionGroup(firestoreAs[role] as Firestore, "episode_tracking")));
  });

  it.each(["history", "playback", "reactions", "shards", "users"])(
    "the owner cannot run a collection-group query over %s",
    async (group) => {
      await assertFails(getDocs(collectionGroup(firestoreAs.owner as Firestore, group)));
    },
  );

  it("a collection-group query narrowed to the caller's own documents is still denied", async () => {
    const db = firestoreAs.owner as Firestore;
    await assertFails(
      getDocs(
        query(
          collectionGroup(db, "episode_tracking"),
          where(documentId(), ">=", `users/${OWNER}/`),
          where(documentId(), "<", `users/${OWNER}0`),
        ),
      ),
    );
  });

  it("another user's subcollection cannot be listed, even filtered", async () => {
    const db = firestoreAs["other user"] as Firestore;
    await assertFails(getDocs(collection(db, `users/${OWNER}/episode_tracking`)));
    await assertFails(getDocs(query(collection(db, `users/${OWNER}/episode_tracking`), where("seeded", "==", true))));
  });

  it("the owner reads their own tree but not a sibling user's", async () => {
    const db = firestoreAs.owner as Firestore;
    await assertSucceeds(getDocs(collection(db, `users/${OWNER}/episode_tracking`)));
    await assertFails(getDoc(doc(db, `users/${OTHER}/episode_tracking/1399`)));
    await assertFails(getDoc(doc(db, `users/${OTHER}`)));
  });

  it("nobody can create a document for a user id that is not theirs, or their own user document", async () => {
    await assertFails(setDoc(doc(firestoreAs.owner as Firestore, `users/${OWNER}`), { admin: true }));
    await assertFails(setDoc(doc(firestoreAs.owner as Firestore, "users/new-user/episode_tracking/1"), { episodes: {} }));
    await assertFails(setDoc(doc(firestoreAs["signed out"] as Firestore, "users/new-user"), { n: 1 }));
  });
});
