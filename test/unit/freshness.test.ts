import { isLockAbandoned, isSeasonOngoing, isServable, isWithinTtl, ttlDays } from "../../functions/src/cache/freshness";

const now = new Date("2026-06-15T12:00:00Z");
const config = { ttlDays: 30, ongoingTtlDays: 7 };

describe("isSeasonOngoing", () => {
  it("is false for a season whose last episode aired more than 30 days ago", () => {
    expect(isSeasonOngoing([{ episodeAirDate: "2020-01-01" }, { episodeAirDate: "2026-05-01" }], now)).toBe(false);
  });
  it("is true with an episode without air date, a future one, or one aired within 30 days", () => {
    expect(isSeasonOngoing([{ episodeAirDate: "2020-01-01" }, { episodeAirDate: null }], now)).toBe(true);
    expect(isSeasonOngoing([{ episodeAirDate: "2026-07-01" }], now)).toBe(true);
    expect(isSeasonOngoing([{ episodeAirDate: "2026-06-01" }], now)).toBe(true);
  });
  it("treats an empty (404) season as ongoing so it is re-checked within a week", () => {
    expect(isSeasonOngoing([], now)).toBe(true);
  });
});

describe("TTL decisions", () => {
  it("uses 30 days, or 7 when ongoing, never more than six months", () => {
    expect(ttlDays(false, config)).toBe(30);
    expect(ttlDays(true, config)).toBe(7);
    expect(ttlDays(false, { ttlDays: 400, ongoingTtlDays: 7 })).toBe(182);
  });
  it("compares the age against the TTL", () => {
    expect(isWithinTtl(new Date("2026-06-09T12:00:01Z"), 7, now)).toBe(true);
    expect(isWithinTtl(new Date("2026-06-08T12:00:00Z"), 7, now)).toBe(false);
    expect(isServable(new Date("2026-01-01T00:00:00Z"), now)).toBe(true);
    expect(isServable(new Date("2025-12-01T00:00:00Z"), now)).toBe(false);
  });
  it("abandons a lock once it is as old as the lease", () => {
    expect(isLockAbandoned(new Date(now.getTime() - 59_999), 60, now)).toBe(false);
    expect(isLockAbandoned(new Date(now.getTime() - 60_000), 60, now)).toBe(true);
  });
});
