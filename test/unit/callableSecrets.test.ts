import * as exported from "../../functions/src/index";
import { DEFAULTS } from "../../functions/src/shared/config";
import { discoverCallables } from "../integration/hostileHarness";

/** Only callables that call TMDB (directly or through the caches) bind the TMDB_API_KEY secret. */
const boundSecrets = (fn: unknown) =>
  ((fn as { __endpoint: { secretEnvironmentVariables?: Array<{ key: string }> } }).__endpoint.secretEnvironmentVariables ?? []).map(
    (s) => s.key,
  );

describe("the TMDB secret", () => {
  const byName = Object.fromEntries(discoverCallables(exported).map(({ name, fn }) => [name, fn]));

  it.each([
    "enrichShow",
    "enrichLibrary",
    "markWatched",
    "syncHistory",
    "savePlayback",
    "getShowProgress",
    "advanceEpisode",
    "toggleReaction",
    "setReaction",
    "getReactions",
    "getMessages",
    "sendMessage",
  ])("is bound to %s, which calls TMDB", (name) => expect(boundSecrets(byName[name])).toEqual(["TMDB_API_KEY"]));

  it.each(["getContinueWatching", "clearPlayback"])("is not bound to %s, which never calls TMDB", (name) => {
    expect(byName[name]).toBeDefined();
    expect(boundSecrets(byName[name])).toEqual([]);
  });
});

describe("callables that may wait on a cache lock", () => {
  const callables = discoverCallables(exported);
  const timeoutOf = (fn: unknown) => (fn as { __endpoint: { timeoutSeconds?: number } }).__endpoint.timeoutSeconds ?? 60;

  it("outlive the lock lease they may wait (60 s by default) with room for their own fetch", () => {
    const short = callables
      .filter(({ fn }) => boundSecrets(fn).includes("TMDB_API_KEY"))
      .filter(({ fn }) => timeoutOf(fn) < DEFAULTS.lockLeaseSeconds + 30)
      .map(({ name }) => name);
    expect(short).toEqual([]);
    expect(callables.filter(({ fn }) => boundSecrets(fn).includes("TMDB_API_KEY")).length).toBeGreaterThan(10);
  });
});
