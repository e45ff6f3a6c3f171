import type { LoadOptions, LoadResult, SeasonResult } from "../../functions/src/cache/tvCache";
import { isServable, isWithinTtl, ttlDays } from "../../functions/src/cache/freshness";
import { InMemoryNightlyQueue } from "../support/nightlyQueue";
import { pageLoader } from "../../functions/src/nightly/reenrichUsers";
import { staleMarkFor } from "../../functions/src/nightly/staleMark";
import { nightlyTaskSchema, taskId, type NightlyTask } from "../../functions/src/nightly/taskPayloads";
import { planWindow } from "../../functions/src/nightly/window";

const now = new Date("2026-06-15T03:00:00Z");
const config = { ttlDays: 30, ongoingTtlDays: 7 };

describe("planWindow", () => {
  it("covers the days since the last successful run, boundary day included", () => {
    expect(planWindow("2026-06-14", now)).toEqual({ mode: "changes", start: "2026-06-14", end: "2026-06-15" });
    expect(planWindow("2026-06-01", now)).toEqual({ mode: "changes", start: "2026-06-01", end: "2026-06-15" });
  });
  it("asks for the last day on the first night", () => {
    expect(planWindow(null, now)).toEqual({ mode: "changes", start: "2026-06-14", end: "2026-06-15" });
  });
  it("falls back to TTL staleness when the gap is longer than one 14-day request", () => {
    expect(planWindow("2026-05-31", now)).toEqual({ mode: "ttl", start: "2026-05-31", end: "2026-06-15" });
  });
  it("never asks for a negative range when the clock went backwards", () => {
    expect(planWindow("2026-06-20", now)).toEqual({ mode: "changes", start: "2026-06-15", end: "2026-06-15" });
  });
});

describe("staleMarkFor", () => {
  const runStartedAt = new Date("2026-06-15T02:59:00Z");
  const context = { now, runStartedAt, config };

  it("back-dates a document so it is stale under either TTL but still servable", () => {
    const mark = staleMarkFor(new Date("2026-06-10T00:00:00Z"), context) as Date;
    expect(mark).not.toBeNull();
    expect(isWithinTtl(mark, ttlDays(false, config), now)).toBe(false);
    expect(isWithinTtl(mark, ttlDays(true, config), now)).toBe(false);
    expect(isServable(mark, now)).toBe(true);
  });
  it("leaves alone a document refreshed since the run started, or one already older than the mark", () => {
    expect(staleMarkFor(new Date("2026-06-15T03:00:00Z"), context)).toBeNull();
    expect(staleMarkFor(new Date("2026-01-01T00:00:00Z"), context)).toBeNull();
  });
  it("lets data expire outright when the TTL is at the six-month cap", () => {
    const mark = staleMarkFor(new Date("2026-06-10T00:00:00Z"), { ...context, config: { ttlDays: 400, ongoingTtlDays: 7 } }) as Date;
    expect(isWithinTtl(mark, 182, now)).toBe(false);
  });
});

describe("task payloads", () => {
  const users: NightlyTask = { kind: "users", runId: "r1", gen: 1, showId: 7, cursor: "users/u/episode_tracking/7", stalls: 0 };
  it("get the same id for the same step and another for any other step", () => {
    expect(taskId(users)).toBe(taskId({ ...users }));
    expect(taskId(users)).toMatch(/^[0-9a-f]{40}-users$/);
    expect(new Set([users, { ...users, gen: 2 }, { ...users, stalls: 1 }, { ...users, cursor: null }].map(taskId)).size).toBe(4);
  });
  it("are validated", () => {
    expect(nightlyTaskSchema.safeParse(users).success).toBe(true);
    expect(nightlyTaskSchema.safeParse({ kind: "refresh", runId: "r1", gen: 1, showIds: [] }).success).toBe(false);
    expect(nightlyTaskSchema.safeParse({ kind: "users", runId: "r1", gen: 1, showId: -1, cursor: null, stalls: 0 }).success).toBe(false);
    expect(nightlyTaskSchema.safeParse({ kind: "nope" }).success).toBe(false);
  });
});

describe("InMemoryNightlyQueue", () => {
  const task: NightlyTask = { kind: "plan", runId: "r1", gen: 1, at: "page:1" };
  it("refuses a second task with the same id, like Cloud Tasks", async () => {
    const queue = new InMemoryNightlyQueue();
    expect(await queue.enqueue(task, { id: "a" })).toBe("enqueued");
    expect(await queue.enqueue(task, { id: "a" })).toBe("duplicate");
    expect(queue.size).toBe(1);
  });
  it("retries a failing task up to maxAttempts, then drops it", async () => {
    const queue = new InMemoryNightlyQueue();
    await queue.enqueue(task, { id: "a" });
    let calls = 0;
    const ran = await queue.drain(
      async () => {
        calls++;
        throw new Error("boom");
      },
      { maxAttempts: 2 },
    );
    expect([ran, calls, queue.dropped.length]).toEqual([2, 2, 1]);
  });
});

describe("pageLoader", () => {
  const episodes = { "1": { episodeId: 1, episodeName: "a", episodeAirDate: null } };
  function fakeCache(states: Record<number, SeasonResult>) {
    const calls: number[][] = [];
    return {
      calls,
      load: async (_showId: number, seasons: number[], _options?: LoadOptions): Promise<LoadResult> => {
        calls.push(seasons);
        return { seasons: new Map(seasons.map((s) => [s, states[s]])), tmdbCalls: 0 };
      },
    };
  }

  it("loads each season once per page", async () => {
    const cache = fakeCache({ 1: { state: "fresh", episodes, notFound: false }, 2: { state: "fetched", episodes, notFound: false } });
    const loader = pageLoader(cache, new Set([1]));
    await loader.load(5, [1]);
    const second = await loader.load(5, [1, 2]);
    await loader.load(5, [2, 1]);
    expect(cache.calls).toEqual([[1], [2]]);
    expect([...second.seasons.keys()].sort()).toEqual([1, 2]);
  });
  it("reports a rechecked season that is only servable stale as pending, and asks again next time", async () => {
    const cache = fakeCache({ 1: { state: "stale", episodes, notFound: false }, 2: { state: "stale", episodes, notFound: false } });
    const loader = pageLoader(cache, new Set([1]));
    const result = await loader.load(5, [1, 2]);
    expect(result.seasons.get(1)).toEqual({ state: "pending" });
    expect(result.seasons.get(2)?.state).toBe("stale");
    await loader.load(5, [1]);
    expect(cache.calls).toEqual([[1, 2], [1]]);
  });
});

describe("InMemoryNightlyQueue.drain", () => {
  it("runs up to `concurrency` tasks at once, including tasks enqueued while draining", async () => {
    const queue = new InMemoryNightlyQueue();
    for (let i = 1; i <= 4; i++) await queue.enqueue({ kind: "plan", runId: "r1", gen: 1, at: `page:${i}` }, { id: `t${i}` });
    let active = 0;
    let peak = 0;
    const ran = await queue.drain(
      async (task) => {
        active++;
        peak = Math.max(peak, active);
        await Promise.resolve();
        if (task.kind === "plan" && task.at === "page:1") await queue.enqueue({ ...task, at: "page:5" }, { id: "t5" });
        active--;
      },
      { concurrency: 2 },
    );
    expect([ran, peak]).toEqual([5, 2]);
  });
});
