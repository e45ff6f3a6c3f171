import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assertFails, assertSucceeds, initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  orderBy,
  query,
  setDoc,
  setLogLevel,
  updateDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import { projectId } from "../support/admin";

/**
 * firestore.rules for friends and direct messages (CONTRACT §10), as a matrix like rules.test.ts:
 * every role × every kind of social document × every operation. Nothing is client-writable.
 */
const ALICE = "alice";
const BOB = "bob";
const CONVERSATION = "c0ffee";
type Role = "member" | "other member" | "outsider" | "signed out";
type Op = "get" | "list" | "create" | "update" | "delete";
type Access = "members" | "alice" | "signed-in" | "nobody";

const DOCS: { path: string; read: Access; list?: Access }[] = [
  { path: `public_profiles/${ALICE}`, read: "signed-in" },
  { path: `handles/${ALICE}`, read: "nobody" },
  // A plain listing of conversations cannot be proven to stay within the caller's: denied (see the queries below).
  { path: `conversations/${CONVERSATION}`, read: "members", list: "nobody" },
  { path: `conversations/${CONVERSATION}/messages/m1`, read: "members" },
  { path: `users/${ALICE}/friends/${BOB}`, read: "alice" },
  { path: `users/${ALICE}/friend_requests/carol`, read: "alice" },
  { path: `users/${ALICE}/blocked/mallory`, read: "alice" },
  { path: `users/${ALICE}/conversations/${CONVERSATION}`, read: "alice" },
  { path: `ops/rate_limits/users/${ALICE}/rate_windows/messages_1`, read: "nobody" },
];
const ROLES: Role[] = ["member", "other member", "outsider", "signed out"];
const OPS: Op[] = ["get", "list", "create", "update", "delete"];

function mayRead(access: Access, role: Role): boolean {
  if (access === "signed-in") return role !== "signed out";
  if (access === "members") return role === "member" || role === "other member";
  if (access === "alice") return role === "member";
  return false;
}

let env: RulesTestEnvironment;
const firestoreAs: Partial<Record<Role, Firestore>> = {};

beforeAll(async () => {
  setLogLevel("error");
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");
  env = await initializeTestEnvironment({
    projectId: `${projectId()}-social-rules`,
    firestore: { host, port: Number(port), rules: readFileSync(join(__dirname, "../../firestore.rules"), "utf8") },
  });
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (admin) => {
    const db = admin.firestore() as unknown as Firestore;
    for (const { path } of DOCS) await setDoc(doc(db, path), { seeded: true, n: 1 });
    // The conversation's members, as the backend writes them.
    await setDoc(doc(db, `conversations/${CONVERSATION}`), {
      members: [ALICE, BOB],
      createdAt: new Date(),
      lastMessageAt: null,
      lastMessage: null,
    });
    await setDoc(doc(db, "conversations/other-pair"), {
      members: ["carol", "dave"],
      createdAt: new Date(),
      lastMessageAt: null,
      lastMessage: null,
    });
    await setDoc(doc(db, "conversations/other-pair/messages/m1"), { senderUid: "carol", text: "hi" });
  });
  firestoreAs.member = env.authenticatedContext(ALICE).firestore() as unknown as Firestore;
  firestoreAs["other member"] = env.authenticatedContext(BOB).firestore() as unknown as Firestore;
  firestoreAs.outsider = env.authenticatedContext("carol-outsider").firestore() as unknown as Firestore;
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
      return setDoc(doc(db, `${parent}/created-by-client`), { n: 1, members: [ALICE, BOB] });
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

describe("social rules matrix", () => {
  it.each(matrix)("$role $op $path → allowed: $allowed", async ({ path, role, op, allowed }) => {
    const db = firestoreAs[role] as Firestore;
    if (allowed) await assertSucceeds(attempt(db, path, op));
    else await assertFails(attempt(db, path, op));
  });
});

describe("conversation queries", () => {
  it("a member lists their conversations filtered on members, newest first", async () => {
    const db = firestoreAs.member as Firestore;
    const mine = await assertSucceeds(getDocs(query(collection(db, "conversations"), where("members", "array-contains", ALICE))));
    expect(mine.docs.map((d) => d.id)).toEqual([CONVERSATION]);
  });

  it("nobody lists conversations filtered on someone else's membership", async () => {
    await assertFails(
      getDocs(query(collection(firestoreAs.member as Firestore, "conversations"), where("members", "array-contains", "carol"))),
    );
    await assertFails(
      getDocs(query(collection(firestoreAs.outsider as Firestore, "conversations"), where("members", "array-contains", ALICE))),
    );
  });

  it("a member cannot read another pair's conversation or its messages", async () => {
    const db = firestoreAs.member as Firestore;
    await assertFails(getDoc(doc(db, "conversations/other-pair")));
    await assertFails(getDocs(collection(db, "conversations/other-pair/messages")));
    await assertFails(getDoc(doc(db, "conversations/other-pair/messages/m1")));
  });

  it("messages of a conversation that does not exist are nobody's", async () => {
    await assertFails(getDocs(collection(firestoreAs.member as Firestore, "conversations/missing/messages")));
  });

  it("the owner's conversation list is theirs to query by lastMessageAt, nobody else's", async () => {
    await assertSucceeds(
      getDocs(query(collection(firestoreAs.member as Firestore, `users/${ALICE}/conversations`), orderBy("lastMessageAt", "desc"))),
    );
    await assertFails(
      getDocs(
        query(collection(firestoreAs["other member"] as Firestore, `users/${ALICE}/conversations`), orderBy("lastMessageAt", "desc")),
      ),
    );
  });

  it.each(["messages", "friends", "friend_requests", "blocked", "conversations"])(
    "nobody runs a collection-group query over %s",
    async (group) => {
      await assertFails(getDocs(collectionGroup(firestoreAs.member as Firestore, group)));
    },
  );

  it("a member cannot add a message or join a conversation", async () => {
    const db = firestoreAs.member as Firestore;
    await assertFails(setDoc(doc(db, `conversations/${CONVERSATION}/messages/forged`), { senderUid: ALICE, text: "hi" }));
    await assertFails(setDoc(doc(db, "conversations/new-pair"), { members: [ALICE, "carol"] }));
    await assertFails(updateDoc(doc(db, `users/${ALICE}/conversations/${CONVERSATION}`), { unread: 0 }));
  });
});
