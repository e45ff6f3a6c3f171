import fc from "fast-check";
import { Timestamp } from "firebase-admin/firestore";
import { takeToken, type Bucket, type RateLimitPolicy } from "../../functions/src/security/rateLimit";

const policy: RateLimitPolicy = { name: "enrichment", perMinute: 6, burst: 3 };
const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1) + seconds * 1000);

/** Feeds calls at the given times through the bucket, as the transaction would. */
function simulate(times: number[], p = policy): boolean[] {
  let bucket: Bucket | undefined;
  return times.map((t) => {
    const result = takeToken(bucket, p, at(t));
    if (result.allowed) bucket = result.bucket;
    return result.allowed;
  });
}

describe("takeToken", () => {
  it("allows a burst, then refuses until a token has refilled", () => {
    expect(simulate([0, 0, 0, 0])).toEqual([true, true, true, false]);
    // 6 a minute = one token every 10 s.
    expect(simulate([0, 0, 0, 9, 10, 10])).toEqual([true, true, true, false, true, false]);
  });

  it("tells the caller when to retry", () => {
    const first = takeToken(undefined, { name: "x", perMinute: 6, burst: 1 }, at(0));
    expect(first.allowed).toBe(true);
    const second = takeToken(first.allowed ? first.bucket : undefined, { name: "x", perMinute: 6, burst: 1 }, at(4));
    expect(second).toEqual({ allowed: false, retryAfterSeconds: 6 });
  });

  it("never refills above the burst, and a clock going backwards refills nothing", () => {
    expect(simulate([0, 0, 0, 3600, 3600, 3600, 3600])).toEqual([true, true, true, true, true, true, false]);
    expect(simulate([100, 100, 100, 50])).toEqual([true, true, true, false]);
  });

  it("burst defaults to perMinute", () => {
    expect(simulate([0, 0, 0], { name: "x", perMinute: 2 })).toEqual([true, true, false]);
  });

  it("never allows more than burst + elapsed × rate calls, whatever the timing", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 60 }), (gaps) => {
        const times = gaps.reduce<number[]>((acc, gap) => [...acc, (acc.at(-1) ?? 0) + gap], []);
        const allowed = simulate(times).filter(Boolean).length;
        const span = times.length ? (times.at(-1) as number) - times[0] : 0;
        expect(allowed).toBeLessThanOrEqual(3 + Math.floor((span / 60) * policy.perMinute));
      }),
      { numRuns: 200 },
    );
  });

  it("ignores a corrupt stored bucket by treating the tokens as given", () => {
    const bucket: Bucket = { tokens: 0.5, updatedAt: Timestamp.fromDate(at(0)) };
    expect(takeToken(bucket, policy, at(0)).allowed).toBe(false);
    expect(takeToken(bucket, policy, at(5)).allowed).toBe(true);
  });
});
