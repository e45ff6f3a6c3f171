import { backoffDelayMs, isV4ReadToken, parseRetryAfterMs, TmdbClient } from "../../functions/src/tmdb/client";
import { startFakeTmdb } from "../../tools/fake-tmdb/server";

describe("TMDB client helpers", () => {
  it("recognises v4 read tokens (JWTs) and treats anything else as a v3 key", () => {
    expect(isV4ReadToken("eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl")).toBe(true);
    expect(isV4ReadToken("0123456789abcdef0123456789abcdef")).toBe(false);
  });
  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfterMs("2", 0)).toBe(2000);
    expect(parseRetryAfterMs(new Date(5000).toUTCString(), 1000)).toBe(4000);
    expect(parseRetryAfterMs(undefined, 0)).toBeUndefined();
    expect(parseRetryAfterMs("soon", 0)).toBeUndefined();
  });
  it("backs off exponentially with jitter, capped", () => {
    expect(backoffDelayMs(0, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelayMs(3, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelayMs(20, 100, 10_000, () => 1)).toBe(10_000);
  });
});

describe("TMDB client rate cap", () => {
  it("sends a burst at a server's full per-second limit without a single 429", async () => {
    const fake = await startFakeTmdb({ rateLimitPerSecond: 10 });
    try {
      // No retries: a 429 would fail the request, and the test.
      const client = new TmdbClient({ baseUrl: fake.url, credential: "fake-tmdb-key", maxRequestsPerSecond: 10, maxRetries: 0 });
      const shows = await Promise.all(Array.from({ length: 25 }, () => client.getShow(1399)));
      expect(shows.every((show) => show?.show.id === 1399)).toBe(true);
      expect((await fake.stats()).total).toBe(25);
    } finally {
      await fake.close();
    }
  });
});
