import { REACTION_TYPES } from "../../functions/src/reactions/schemas";
import { toggleReaction } from "../../functions/src/reactions/toggleReaction";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

it("probe", async () => {
  const showId = uniqueShowId();
  const episode = { showId, season: 1, episode: 1 };
  await env.context().cache.getSeasonFromCacheOrTMDB(showId, 1);
  const ctx = env.context();
  for (const label of ["single users", "with doubles"]) {
    const uids = Array.from({ length: 300 }, (_, i) => uniqueId(`c${i}`));
    const toggles = uids.flatMap((uid, i) => (label === "with doubles" && i % 10 === 0 ? [uid, uid] : [uid]));
    const errors = new Map<string, number>();
    const t0 = Date.now();
    let runs = 0;
    await Promise.all(
      toggles.map((uid, i) =>
        toggleReaction(ctx, uid, { ...episode, type: REACTION_TYPES[i % 6] }).then((r) => { runs += r.transactionAttempts; }).catch((e: Error) => {
          const k = e.message.slice(0, 100);
          errors.set(k, (errors.get(k) ?? 0) + 1);
        }),
      ),
    );
    console.log(label, toggles.length, Date.now() - t0, "ms runs", runs, JSON.stringify([...errors]));
  }
});
