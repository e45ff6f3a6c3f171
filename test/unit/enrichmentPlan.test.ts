import { enrichmentUpdates, planEnrichment } from "../../functions/src/enrichment/plan";
import { parseEpisodeKey } from "../../functions/src/tracking/episodeKeys";
import { fitsDocumentLimit, storageSize } from "../../functions/src/shared/firestore";

describe("parseEpisodeKey", () => {
  it("accepts season_episode keys, including specials", () => {
    expect(parseEpisodeKey("1_1")).toEqual({ season: 1, episode: 1 });
    expect(parseEpisodeKey("0_12")).toEqual({ season: 0, episode: 12 });
  });
  it.each(["1_x", "-1_2", "1_0", "01_2", "1_2_3", "", "1", "_1", "1.5_2", "__proto__"])("rejects %p", (key) => {
    expect(parseEpisodeKey(key)).toBeNull();
  });
});

describe("planEnrichment", () => {
  const full = { watched: true, episodeId: 1, episodeName: "a", episodeAirDate: null };
  it("groups episodes missing any TMDB field by season and counts the rest", () => {
    const plan = planEnrichment({
      "1_1": full,
      "1_2": { watched: true },
      "2_1": { watched: false, episodeId: 3 },
      "1_x": { watched: true },
    });
    expect([...plan.keysBySeason]).toEqual([
      [1, ["1_2"]],
      [2, ["2_1"]],
    ]);
    expect(plan.alreadyEnriched).toBe(1);
    expect(plan.malformedKeys).toBe(1);
  });
  it("includes enriched episodes of rechecked seasons", () => {
    expect([...planEnrichment({ "1_1": full }, new Set([1])).keysBySeason]).toEqual([[1, ["1_1"]]]);
  });
});

describe("enrichmentUpdates", () => {
  const season = { "1": { episodeId: 10, episodeName: "Pilot", episodeAirDate: "2020-01-01" } };
  it("returns only differing enrichment fields and counts episodes TMDB does not have", () => {
    const episodes = { "1_1": { watched: true, episodeId: 10 }, "1_2": { watched: true } };
    expect(enrichmentUpdates(episodes, ["1_1", "1_2"], season)).toEqual({
      updates: [{ key: "1_1", fields: { episodeName: "Pilot", episodeAirDate: "2020-01-01" } }],
      notFound: 1,
    });
  });
});

describe("document size", () => {
  it("counts strings as UTF-8 bytes plus one and map keys like strings", () => {
    expect(storageSize("abc")).toBe(4);
    expect(storageSize("é")).toBe(3);
    expect(storageSize({ a: 1, b: true })).toBe(2 + 8 + 2 + 1);
  });
  it("refuses content near 1 MiB", () => {
    expect(fitsDocumentLimit("users/u/episode_tracking/1", { episodes: { a: "x".repeat(1_000_000) } })).toBe(true);
    expect(fitsDocumentLimit("users/u/episode_tracking/1", { episodes: { a: "x".repeat(1_040_000) } })).toBe(false);
  });
});
