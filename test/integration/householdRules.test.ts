import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assertFails, assertSucceeds, initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getFirestore, type Firestore as AdminFirestore } from "firebase-admin/firestore";
import { collection, deleteDoc, doc, getDoc, getDocs, setDoc, setLogLevel, updateDoc, type Firestore } from "firebase/firestore";
import {
  createHousehold,
  createHouseholdInvite,
  createProfile,
  hashInviteCode,
  joinHousehold,
  leaveHousehold,
  removeHouseholdMember,
} from "../../functions/src/households/households";
import { projectId } from "../support/admin";

/**
 * firestore.rules for households (CONTRACT §9) as a matrix: every role × every readable path (each
 * profile's data, the household documents, the pointers, invites) × every operation. The household is
 * built by the real backend modules (Admin SDK) in the rules project, so the rules are tested against
 * the documents the backend actually writes:
 *
 * - alice owns household H with bob (member), a managed profile `kid`, and carol, whom alice removed;
 * - dave is a stranger with a household of his own (and a managed profile there).
 */
type Role = "owner" | "member" | "removed member" | "stranger" | "signed out";
type Op = "get" | "list" | "create" | "update" | "delete";
const ROLES: Role[] = ["owner", "member", "removed member", "stranger", "signed out"];
const OPS: Op[] = ["get", "list", "create", "update", "delete"];
const UID: Record<Exclude<Role, "signed out">, string> = {
  owner: "hh-alice",
  member: "hh-bob",
  "removed member": "hh-carol",
  stranger: "hh-dave",
};
const H_MEMBERS: Role[] = ["owner", "member"];

/** One document of each kind a profile holds (CONTRACT §1, §6–8, §11). */
const PROFILE_DOCS = [
  "episode_tracking/1399",
  "movie_tracking/550",
  "history/trakt_9001",
  "playback/tv_1399_1_1",
  "reactions/1399_1_1",
  "watchlist/tv_1399",
  "ratings/tv_1399",
  "devices/token",
  "inbox/1399_8_6",
  "calendar_feed/feed",
  "library/summary",
  "imports/import-1",
  "imports/import-1/job/state",
  "webhooks/hook-1",
  "settings/preferences",
];

let env: RulesTestEnvironment;
let adminApp: App;
let admin: AdminFirestore;
const as: Partial<Record<Role, Firestore>> = {};
let H = "";
let D = "";
let kid = "";
let strangersKid = "";
let inviteHash = "";
let cases: { path: string; readers: Role[]; list?: Role[] }[] = [];

beforeAll(async () => {
  setLogLevel("error");
  const rulesProject = `${projectId()}-household-rules`;
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");
  env = await initializeTestEnvironment({
    projectId: rulesProject,
    firestore: { host, port: Number(port), rules: readFileSync(join(__dirname, "../../firestore.rules"), "utf8") },
  });
  await env.clearFirestore();
  adminApp = initializeApp({ projectId: rulesProject }, "household-rules-admin");
  admin = getFirestore(adminApp);
  const ctx = { db: admin, clock: () => new Date() };

  // The household, as the callables build it.
  H = (await createHousehold(ctx, UID.owner, { name: "Sofa" })).householdId;
  const joinAs = async (uid: string) => {
    const { code } = await createHouseholdInvite(ctx, UID.owner);
    await joinHousehold(ctx, uid, { code: code.replace(/-/g, "") });
    return code;
  };
  await joinAs(UID.member);
  await joinAs(UID["removed member"]);
  kid = (await createProfile(ctx, UID.member, { name: "Kid" })).profileId;
  await removeHouseholdMember(ctx, UID.owner, { uid: UID["removed member"] });
  inviteHash = hashInviteCode((await createHouseholdInvite(ctx, UID.owner)).code.replace(/-/g, ""));
  D = (await createHousehold(ctx, UID.stranger, { name: "Elsewhere" })).householdId;
  strangersKid = (await createProfile(ctx, UID.stranger, { name: "Other kid" })).profileId;

  const profileCases = (owner: string, readers: Role[]) => [
    // Listing its parent means listing `users`: nobody may.
    { path: `users/${owner}`, readers, list: [] as Role[] },
    ...PROFILE_DOCS.map((sub) => ({ path: `users/${owner}/${sub}`, readers })),
  ];
  cases = [
    ...profileCases(UID.owner, H_MEMBERS),
    ...profileCases(UID.member, H_MEMBERS),
    ...profileCases(kid, H_MEMBERS),
    // Carol's own data stays hers; the household no longer sees it.
    ...profileCases(UID["removed member"], ["removed member"]),
    ...profileCases(UID.stranger, ["stranger"]),
    ...profileCases(strangersKid, ["stranger"]),
    { path: `households/${H}`, readers: H_MEMBERS, list: [] },
    { path: `households/${H}/members/${UID.owner}`, readers: H_MEMBERS },
    { path: `households/${H}/members/${UID.member}`, readers: H_MEMBERS },
    { path: `households/${H}/profiles/${UID.member}`, readers: H_MEMBERS },
    { path: `households/${H}/profiles/${kid}`, readers: H_MEMBERS },
    { path: `households/${D}`, readers: ["stranger"], list: [] },
    { path: `households/${D}/profiles/${strangersKid}`, readers: ["stranger"] },
    { path: `household_memberships/${UID.owner}`, readers: ["owner"], list: [] },
    { path: `household_memberships/${UID.member}`, readers: ["member"], list: [] },
    { path: `household_invites/${inviteHash}`, readers: [] },
  ];
  for (const { path } of cases) if (path.startsWith("users/")) await admin.doc(path).set({ seeded: true, n: 1 });

  for (const role of ROLES)
    as[role] = (role === "signed out"
      ? env.unauthenticatedContext().firestore()
      : env.authenticatedContext(UID[role]).firestore()) as unknown as Firestore;
});
afterAll(async () => {
  await env.cleanup();
  await deleteApp(adminApp);
});

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

/** Built lazily: the paths carry ids the backend generated in beforeAll. */
const matrix = () =>
  cases.flatMap(({ path, readers, list = readers }) =>
    ROLES.flatMap((role) =>
      OPS.map((op) => ({ path, role, op, allowed: (op === "get" && readers.includes(role)) || (op === "list" && list.includes(role)) })),
    ),
  );

describe("household rules matrix (role × path × operation)", () => {
  it("covers every role, path and operation", () => {
    // 5 roles × (6 profiles × 16 paths + 10 household paths) × 5 operations.
    expect(matrix().length).toBe(ROLES.length * (6 * (PROFILE_DOCS.length + 1) + 10) * OPS.length);
  });

  it("answers each case as the contract says", async () => {
    const wrong: string[] = [];
    for (const { path, role, op, allowed } of matrix()) {
      const db = as[role] as Firestore;
      try {
        if (allowed) await assertSucceeds(attempt(db, path, op));
        else await assertFails(attempt(db, path, op));
      } catch {
        wrong.push(`${role} ${op} ${path} → expected ${allowed ? "allowed" : "denied"}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});

describe("access follows membership at once", () => {
  it("a member who leaves loses access to the household's profiles with the same commit, and a rejoin restores it", async () => {
    const ctx = { db: admin, clock: () => new Date() };
    const erin = "hh-erin";
    const { code } = await createHouseholdInvite(ctx, UID.owner);
    await joinHousehold(ctx, erin, { code: code.replace(/-/g, "") });
    const db = env.authenticatedContext(erin).firestore() as unknown as Firestore;
    await assertSucceeds(getDoc(doc(db, `users/${kid}/episode_tracking/1399`)));
    await assertSucceeds(getDocs(collection(db, `users/${UID.owner}/history`)));
    await assertSucceeds(getDoc(doc(db, `households/${H}`)));

    await leaveHousehold(ctx, erin);
    await assertFails(getDoc(doc(db, `users/${kid}/episode_tracking/1399`)));
    await assertFails(getDocs(collection(db, `users/${UID.owner}/history`)));
    await assertFails(getDoc(doc(db, `households/${H}`)));
    await assertFails(getDocs(collection(db, `households/${H}/profiles`)));
  });

  it("a managed profile that is deleted is no longer readable through the household", async () => {
    const ctx = { db: admin, clock: () => new Date() };
    const { profileId } = await createProfile(ctx, UID.owner, { name: "Guest" });
    await admin.doc(`users/${profileId}/episode_tracking/1`).set({ n: 1 });
    const bob = as.member as Firestore;
    await assertSucceeds(getDoc(doc(bob, `users/${profileId}/episode_tracking/1`)));
    await admin.doc(`households/${H}/profiles/${profileId}`).delete();
    await assertFails(getDoc(doc(bob, `users/${profileId}/episode_tracking/1`)));
  });

  it("a profile id that belongs to no household is readable by nobody but a login of that id", async () => {
    await admin.doc("users/profile_orphan/episode_tracking/1").set({ n: 1 });
    for (const role of ROLES) await assertFails(getDoc(doc(as[role] as Firestore, "users/profile_orphan/episode_tracking/1")));
  });
});
