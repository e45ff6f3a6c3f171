import { randomUUID } from "node:crypto";
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInAnonymously } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, httpsCallable, type Functions } from "firebase/functions";
import { createTvTrackerClient, type TvTrackerClient } from "@tvtracker/client";
import { FakeTmdbControl } from "../../tools/fake-tmdb/control";
import { projectId } from "./admin";

/** The emulator cold-starts one worker process per concurrent call; on 2 cores a crowd needs time. */
const CALL_OPTIONS = { timeout: 150_000 };

const offset = () => Number(process.env.EMULATOR_PORT_OFFSET ?? 0);

/** A signed-in client app, as a real app would use this backend (Auth and Functions emulators). */
export interface ClientUser {
  uid: string;
  /** The typed client SDK (client/, the built package), checking every answer against its response schema. */
  api: TvTrackerClient;
  /**
   * Any name with any payload, for tests that send what the types forbid: a callable of the contract
   * still goes through the client package; other names go straight to the Functions emulator.
   */
  call<T = unknown>(name: string, data?: unknown): Promise<T>;
  /** The client Firestore SDK as this user (Firestore emulator, so security rules apply). */
  firestore(): Firestore;
  close(): Promise<void>;
}

function untypedCall(api: TvTrackerClient, functions: Functions) {
  return async <T>(name: string, data?: unknown): Promise<T> => {
    const method = (api as unknown as Record<string, ((request: unknown) => Promise<unknown>) | undefined>)[name];
    if (method) return (await method(data)) as T;
    return (await httpsCallable<unknown, T>(functions, name, CALL_OPTIONS)(data)).data;
  };
}

const typedClient = (functions: Functions) =>
  createTvTrackerClient(functions, { timeoutMs: CALL_OPTIONS.timeout, validateResponses: true });

function clientApp(): { app: FirebaseApp; functions: Functions; firestore: () => Firestore } {
  const app = initializeApp({ projectId: projectId(), apiKey: "demo-api-key", authDomain: `${projectId()}.firebaseapp.com` }, randomUUID());
  const functions = getFunctions(app, "us-central1");
  connectFunctionsEmulator(functions, "127.0.0.1", 5001 + offset());
  let firestore: Firestore | undefined;
  const lazyFirestore = () => {
    if (!firestore) {
      firestore = getFirestore(app);
      connectFirestoreEmulator(firestore, "127.0.0.1", 8080 + offset());
    }
    return firestore;
  };
  return { app, functions, firestore: lazyFirestore };
}

export async function signedInUser(): Promise<ClientUser> {
  const { app, functions, firestore } = clientApp();
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://127.0.0.1:${9099 + offset()}`, { disableWarnings: true });
  const credential = await signInAnonymously(auth);
  const api = typedClient(functions);
  return {
    uid: credential.user.uid,
    api,
    call: untypedCall(api, functions),
    firestore,
    close: () => deleteApp(app),
  };
}

/** A client app with nobody signed in. */
export function anonymousClient(): Omit<ClientUser, "uid"> {
  const { app, functions, firestore } = clientApp();
  const api = typedClient(functions);
  return {
    api,
    call: untypedCall(api, functions),
    firestore,
    close: () => deleteApp(app),
  };
}

/** The fake TMDB server the Functions emulator talks to (started by scripts/with-emulators.mjs). */
export function sharedFakeTmdb(): FakeTmdbControl {
  const url = process.env.FAKE_TMDB_URL;
  if (!url) throw new Error("FAKE_TMDB_URL is not set: run emulator tests through `npm test`");
  return new FakeTmdbControl(url);
}
