import { mediaKeyOf } from "../../functions/src/playback/documents";
import { completionPercentage, nextPlaybackState, type PlaybackState } from "../../functions/src/playback/math";
import {
  clearPlaybackRequestSchema,
  getContinueWatchingRequestSchema,
  savePlaybackRequestSchema,
} from "../../functions/src/playback/schemas";
import { describeValidationError } from "../../functions/src/shared/validation";

const save = (positionSeconds: number, durationSeconds = 1000) => ({ positionSeconds, durationSeconds });

describe("nextPlaybackState", () => {
  it("stores nothing below 5 % for an item not started yet, and starts it at 5 %", () => {
    expect(nextPlaybackState(undefined, save(40), 90)).toMatchObject({
      store: false,
      becameWatched: false,
      state: { completionPercentage: 4, watched: false },
    });
    expect(nextPlaybackState(undefined, save(49.99), 90).store).toBe(false);
    expect(nextPlaybackState(undefined, save(50), 90)).toMatchObject({ store: true, state: { completionPercentage: 5 } });
  });

  it("keeps the latest position, grows watchedSeconds only, and derives the percentage", () => {
    const first = nextPlaybackState(undefined, save(500), 90).state;
    expect(first).toEqual({ positionSeconds: 500, durationSeconds: 1000, watchedSeconds: 500, completionPercentage: 50, watched: false });
    const back = nextPlaybackState(first, save(20), 90);
    expect(back).toMatchObject({
      store: true,
      state: { positionSeconds: 20, watchedSeconds: 500, completionPercentage: 2, watched: false },
    });
  });

  it("becomes watched at the threshold exactly once, and stays watched", () => {
    const at89 = nextPlaybackState(undefined, save(890), 90);
    expect(at89).toMatchObject({ becameWatched: false, state: { watched: false, completionPercentage: 89 } });
    const at90 = nextPlaybackState(at89.state, save(900), 90);
    expect(at90).toMatchObject({ becameWatched: true, state: { watched: true } });
    const at100 = nextPlaybackState(at90.state, save(1000), 90);
    expect(at100).toMatchObject({ becameWatched: false, state: { watched: true, completionPercentage: 100 } });
    expect(nextPlaybackState(at100.state, save(10), 90)).toMatchObject({
      becameWatched: false,
      state: { watched: true, positionSeconds: 10, watchedSeconds: 1000 },
    });
  });

  it("compares the threshold exactly, not on the rounded percentage", () => {
    expect(completionPercentage(899.99, 1000)).toBe(90);
    expect(nextPlaybackState(undefined, save(899.99), 90).state.watched).toBe(false);
    expect(nextPlaybackState(undefined, save(1000), 100).state.watched).toBe(true);
  });

  it("makes an unstarted item watched straight away when the first save is past the threshold", () => {
    expect(nextPlaybackState(undefined, save(950), 90)).toMatchObject({ store: true, becameWatched: true });
  });

  it("never decreases watchedSeconds, whatever the previous state says", () => {
    const previous: PlaybackState = {
      positionSeconds: 1,
      durationSeconds: 10,
      watchedSeconds: 9,
      completionPercentage: 10,
      watched: false,
    };
    expect(nextPlaybackState(previous, save(5, 10), 90).state.watchedSeconds).toBe(9);
  });
});

describe("playback payloads", () => {
  const episode = { type: "episode", showId: 1, season: 1, episode: 2 } as const;
  const message = (payload: unknown) => {
    const parsed = savePlaybackRequestSchema.safeParse(payload);
    return parsed.success ? "ok" : describeValidationError(parsed.error);
  };

  it("rejects a zero duration and a position beyond the duration, naming the field", () => {
    expect(message({ media: episode, positionSeconds: 0, durationSeconds: 0 })).toMatch(/^durationSeconds/);
    expect(message({ media: episode, positionSeconds: 11, durationSeconds: 10 })).toMatch(/^positionSeconds/);
    expect(message({ media: episode, positionSeconds: -1, durationSeconds: 10 })).toMatch(/^positionSeconds/);
    expect(message({ media: { type: "movie", movieId: 0 }, positionSeconds: 1, durationSeconds: 10 })).toMatch(/^media/);
    expect(message({ media: { type: "song", id: 1 }, positionSeconds: 1, durationSeconds: 10 })).toMatch(/^media/);
    expect(message({ media: episode, positionSeconds: 10, durationSeconds: 10 })).toBe("ok");
  });

  it("caps the continue-watching limit at 50", () => {
    expect(getContinueWatchingRequestSchema.safeParse({}).success).toBe(true);
    expect(getContinueWatchingRequestSchema.safeParse({ limit: 50 }).success).toBe(true);
    expect(getContinueWatchingRequestSchema.safeParse({ limit: 51 }).success).toBe(false);
    expect(getContinueWatchingRequestSchema.safeParse({ limit: 0 }).success).toBe(false);
  });

  it("keys playback per content item", () => {
    expect(mediaKeyOf(episode)).toBe("tv_1_1_2");
    expect(mediaKeyOf({ type: "movie", movieId: 603 })).toBe("movie_603");
    expect(clearPlaybackRequestSchema.parse({ media: { type: "movie", movieId: 603, quality: "4k" } })).toEqual({
      media: { type: "movie", movieId: 603 },
    });
  });
});
