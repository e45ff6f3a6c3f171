import { backoffDelayMs, isV4ReadToken, parseRetryAfterMs, RATE_WINDOW_MS, TmdbClient } from "../../functions/src/tmdb/client";
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
  afterEach(() => jest.useRealTimers());

  /**
   * The client's clock and the fake's rate window run on Jest's fake clock (Date.now and setTimeout),
   * while the HTTP exchanges are real: time moves only when the test says so, so the result does not
   * depend on how busy the machine is (a real second let a loaded event loop delay arrivals past the
   * client's 50 ms margin).
   */
  it("sends a burst at a server's full per-second limit without a single 429: 10 at once, the next 10 a window later", async () => {
    const fake = await startFakeTmdb({ rateLimitPerSecond: 10 });
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"], now: 0 });
    try {
      // No retries: a 429 would fail the request, and the test.
      const client = new TmdbClient({ baseUrl: fake.url, credential: "fake-tmdb-key", maxRequestsPerSecond: 10, maxRetries: 0 });
      let answered = 0;
      const waiting: Array<{ count: number; resolve: () => void }> = [];
      const answeredReaches = (count: number) =>
        new Promise<void>((resolve) => (answered >= count ? resolve() : waiting.push({ count, resolve })));
      const requests = Array.from({ length: 25 }, () =>
        client.getShow(1399).finally(() => {
          answered += 1;
          for (const w of waiting.filter((w) => answered >= w.count)) w.resolve();
        }),
      );
      const all = Promise.all(requests);
      all.catch(() => undefined); // a failure is reported by the awaits below

      await Promise.race([answeredReaches(10), all]);
      expect((await fake.stats()).total).toBe(10); // the burst went out at once, and no more
      await jest.advanceTimersByTimeAsync(RATE_WINDOW_MS);
      await Promise.race([answeredReaches(20), all]);
      expect((await fake.stats()).total).toBe(20);
      await jest.advanceTimersByTimeAsync(RATE_WINDOW_MS);
      const shows = await all;
      expect(shows.every((show) => show?.show.id === 1399)).toBe(true);
      expect((await fake.stats()).total).toBe(25);
    } finally {
      jest.useRealTimers();
      await fake.close();
    }
  });
});
