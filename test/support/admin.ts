import { randomUUID } from "node:crypto";
import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { createAppContext, type AppContext } from "../../functions/src/shared/app";
import { DEFAULT_CONFIG, type RuntimeConfig } from "../../functions/src/shared/config";
import { TmdbClient, type TmdbClientOptions } from "../../functions/src/tmdb/client";
import { startFakeTmdb, type FakeTmdb, type FakeTmdbOptions } from "../../tools/fake-tmdb/server";

export const projectId = () => process.env.TEST_PROJECT_ID ?? "demo-tvtracker";

/** A unique suffix so parallel test files never touch each other's users or shows. */
export const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
let nextShowId = 100_000 + Math.floor(Math.random() * 800_000) * 10;
/** A show id no other test file uses (the fake catalog generates a show for any id not ending in 404). */
export const uniqueShowId = () => {
  nextShowId += 1;
  if (String(nextShowId).endsWith("404")) nextShowId += 1;
  return nextShowId;
};

export interface TestEnv {
  app: App;
  db: Firestore;
  fake: FakeTmdb;
  /** A fresh context (its own TMDB client and counters) on this test file's Firestore and fake TMDB. */
  context(overrides?: { config?: Partial<RuntimeConfig["cache"]>; tmdb?: Partial<TmdbClientOptions>; clock?: () => Date }): AppContext;
  close(): Promise<void>;
}

/** Fast retries for tests: behaviour is the same, only the waits are shorter. */
export const TEST_TMDB_OPTIONS: Partial<TmdbClientOptions> = {
  retryBaseMs: 10,
  maxRetryDelayMs: 2000,
  timeoutMs: 1500,
  maxRequestsPerSecond: 0,
};

export async function startTestEnv(fakeOptions: FakeTmdbOptions = {}): Promise<TestEnv> {
  const app = initializeApp({ projectId: projectId() }, uniqueId("test"));
  const db = getFirestore(app);
  const fake = await startFakeTmdb({ port: 0, ...fakeOptions });
  return {
    app,
    db,
    fake,
    context: (overrides = {}) =>
      createAppContext({
        db,
        tmdb: new TmdbClient({ baseUrl: fake.url, credential: "fake-tmdb-key", ...TEST_TMDB_OPTIONS, ...overrides.tmdb }),
        config: { ...DEFAULT_CONFIG, cache: { ...DEFAULT_CONFIG.cache, ...overrides.config } },
        clock: overrides.clock,
      }),
    close: async () => {
      await fake.close();
      await deleteApp(app);
    },
  };
}
