import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { projectId, uniqueId } from "./admin";
import { signedInUser, type ClientUser } from "./client";

export interface E2eEnv {
  /** Admin access to the emulator, to seed and inspect what the callables did. */
  readonly db: Firestore;
  /** A new anonymous user signed in through the client SDK; closed after the file's tests. */
  user(): Promise<ClientUser>;
}

/** The per-file setup of an end-to-end suite: an admin app, and client users cleaned up afterwards. */
export function useE2eEnv(): E2eEnv {
  let app: App | undefined;
  let db: Firestore | undefined;
  const users: ClientUser[] = [];
  beforeAll(() => {
    app = initializeApp({ projectId: projectId() }, uniqueId("e2e"));
    db = getFirestore(app);
  });
  afterAll(async () => {
    await Promise.all(users.map((u) => u.close()));
    if (app) await deleteApp(app);
  });
  return {
    get db() {
      if (!db) throw new Error("useE2eEnv().db is only available inside tests");
      return db;
    },
    user: async () => {
      const u = await signedInUser();
      users.push(u);
      return u;
    },
  };
}
