import { Timestamp } from "firebase-admin/firestore";
import { episodePlay } from "../../functions/src/tracking/plays";
import {
  MAX_RECENT_PLAYS,
  needsHistory,
  recentPlaysOf,
  recordsAfter,
  recordsWithoutLivePlays,
  recordWith,
} from "../../functions/src/tracking/recentPlays";
import type { TrackingDoc } from "../../functions/src/tracking/trackingDoc";

/** The same-viewing records a tracking document keeps per episode (issue 22), as pure functions. */
const T0 = new Date("2025-06-01T20:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const play = (minutes: number, source: "app" | "trakt" | "plex" = "app") =>
  episodePlay({
    showId: 1,
    season: 1,
    episode: 1,
    watchedAt: at(minutes),
    source,
    ...(source === "trakt" ? { sourceId: `t${minutes}` } : {}),
  });

describe("recentPlays records", () => {
  it("are unknown for an entry written before them, empty for an episode without plays", () => {
    const legacy: TrackingDoc = {
      episodes: { "1_1": { watched: true, watchedAt: Timestamp.fromDate(T0), plays: 1 }, "1_2": { watched: false } },
    };
    expect(recentPlaysOf(legacy, "1_1")).toBeNull();
    expect(recentPlaysOf(legacy, "1_2")).toEqual([]);
    expect(recentPlaysOf(legacy, "1_3")).toEqual([]);
    expect(needsHistory(legacy, play(5))).toBe(true);
  });

  it("keep one pair per time and source, the latest MAX_RECENT_PLAYS, and say when older ones were dropped", () => {
    const same = recordWith([], [play(0, "trakt"), play(0, "trakt"), play(0, "app")]);
    expect(same.plays).toHaveLength(2);
    expect(same.dropped).toBe(false);
    const many = recordWith(
      [],
      Array.from({ length: MAX_RECENT_PLAYS + 3 }, (_, i) => play(i * 60)),
    );
    expect(many.plays).toHaveLength(MAX_RECENT_PLAYS);
    expect(many.plays[0].at.toMillis()).toBe(at(3 * 60).getTime());
    expect(many.dropped).toBe(true);
  });

  it("ask the history only for a play a partial record cannot judge", () => {
    const { plays } = recordWith(
      [],
      Array.from({ length: MAX_RECENT_PLAYS + 3 }, (_, i) => play(i * 60)),
    );
    const doc: TrackingDoc = {
      episodes: { "1_1": { watched: true, plays: 11 } },
      recentPlays: { "1_1": plays },
      recentPlaysPartial: { "1_1": true },
    };
    expect(needsHistory(doc, play(3 * 60 + 5))).toBe(true); // within 10 minutes of the oldest kept: a dropped one may be closer
    expect(needsHistory(doc, play(3 * 60 + 10))).toBe(false);
    expect(needsHistory({ ...doc, recentPlaysPartial: {} }, play(0))).toBe(false);
  });

  it("take new plays in, and lose the live ones when the episode is un-marked", () => {
    const doc: TrackingDoc = {
      episodes: { "1_1": { watched: true, plays: 1 } },
      recentPlays: { "1_1": recordWith([], [play(0, "trakt")]).plays },
    };
    const after = recordsAfter(doc, [play(60), play(120, "plex")], new Map());
    expect(after.recentPlays["1_1"].map((p) => p.source)).toEqual(["trakt", "app", "plex"]);
    const unmarked = recordsWithoutLivePlays({ ...doc, recentPlays: after.recentPlays }, ["1_1"]);
    expect(unmarked.recentPlays["1_1"].map((p) => p.source)).toEqual(["trakt"]);
    // An entry without a record gets none from new plays alone (its history was not read).
    const legacy: TrackingDoc = { episodes: { "1_1": { watched: true, plays: 1 } } };
    expect(recordsAfter(legacy, [play(60)], new Map()).recentPlays).toEqual({});
  });
});
