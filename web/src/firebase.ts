/**
 * Firebase for the app. The configuration comes from `/__/firebase/init.json`: Firebase Hosting serves it
 * for the project the app is deployed to, and the local server (`scripts/serve-web.mjs`, used by `npm start`
 * and the browser tests) serves the demo project's with an `emulators` block, so one build runs against the
 * emulators locally and against real Firebase when deployed.
 *
 * The callables' client (`@tvtracker/client`, which bundles the zod schemas) and firebase/functions load on
 * first use, so the first screen ships Auth and Firestore only.
 */
import { initializeApp, type FirebaseOptions } from "firebase/app";
import { browserLocalPersistence, connectAuthEmulator, initializeAuth, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";
import type { TvTrackerClient } from "@tvtracker/client";

interface HostPort {
  host: string;
  port: number;
}
/** Where the emulators listen (the local server adds this; Hosting never does). */
export interface EmulatorConfig {
  auth: HostPort;
  firestore: HostPort;
  functions: HostPort;
}
export type InitConfig = FirebaseOptions & { emulators?: EmulatorConfig };

export interface Backend {
  auth: Auth;
  db: Firestore;
  config: InitConfig;
  /** The typed callables, loaded on first use. */
  api(): Promise<TvTrackerClient>;
}

export const REGION = "us-central1";

export async function connectBackend(): Promise<Backend> {
  const response = await fetch("/__/firebase/init.json");
  if (!response.ok) throw new Error(`No Firebase configuration at /__/firebase/init.json (HTTP ${response.status})`);
  const config = (await response.json()) as InitConfig;
  const { emulators, ...options } = config;
  const app = initializeApp(options);
  // initializeAuth with one persistence and no popup/redirect resolver: email/password and anonymous
  // sign-in need nothing more, and the first screen ships about a third less of Auth.
  const auth = initializeAuth(app, { persistence: browserLocalPersistence });
  const db = getFirestore(app);
  if (emulators) {
    connectAuthEmulator(auth, `http://${emulators.auth.host}:${emulators.auth.port}`, { disableWarnings: true });
    connectFirestoreEmulator(db, emulators.firestore.host, emulators.firestore.port);
  }
  let client: Promise<TvTrackerClient> | undefined;
  const api = () =>
    (client ??= Promise.all([import("firebase/functions"), import("@tvtracker/client")]).then(([functions, sdk]) => {
      const instance = functions.getFunctions(app, REGION);
      if (emulators) functions.connectFunctionsEmulator(instance, emulators.functions.host, emulators.functions.port);
      return sdk.createTvTrackerClient(instance);
    }));
  return { auth, db, config, api };
}

/** A Firebase error's message without the SDK's "FirebaseError: " prefix, for the screen. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/^Firebase(Error)?:\s*/, "");
  return String(error);
}
