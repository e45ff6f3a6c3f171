import fc from "fast-check";
import { emptyCounts, planSet, planToggle, storedReactionType, sumShards } from "../../functions/src/reactions/counts";
import { REACTION_TYPES, toggleReactionRequestSchema, type ReactionType } from "../../functions/src/reactions/schemas";
import { describeValidationError } from "../../functions/src/shared/validation";

describe("planSet", () => {
  it("reaches the requested end state, and applied again changes nothing (any sequence of retries)", () => {
    const types = fc.constantFrom<ReactionType | null>(null, ...REACTION_TYPES);
    fc.assert(
      fc.property(types, fc.array(types, { maxLength: 20 }), (start, requests) => {
        let current = start;
        const count: Record<string, number> = {};
        if (start) count[start] = 1;
        for (const requested of requests) {
          const first = planSet(current, requested);
          for (const [type, d] of Object.entries(first.delta)) count[type] = (count[type] ?? 0) + (d as number);
          current = first.next;
          expect(current).toBe(requested);
          expect(planSet(current, requested)).toEqual({ action: "unchanged", next: requested, delta: {} });
        }
        // The counts always say exactly one reaction (the current one) or none.
        expect(Object.entries(count).filter(([, n]) => n !== 0)).toEqual(current ? [[current, 1]] : []);
      }),
    );
  });
});

describe("planToggle", () => {
  it("adds a first reaction, replaces another type and removes the same type", () => {
    expect(planToggle(null, "love")).toEqual({ action: "added", next: "love", delta: { love: 1 } });
    expect(planToggle("love", "sad")).toEqual({ action: "changed", next: "sad", delta: { love: -1, sad: 1 } });
    expect(planToggle("sad", "sad")).toEqual({ action: "removed", next: null, delta: { sad: -1 } });
  });

  it("keeps the summed deltas equal to a recount of final reactions, whatever the toggles", () => {
    const toggle = fc.record({ user: fc.nat({ max: 9 }), type: fc.constantFrom(...REACTION_TYPES) });
    fc.assert(
      fc.property(fc.array(toggle, { maxLength: 60 }), (toggles) => {
        const mine = new Map<number, ReactionType | null>();
        const counts = emptyCounts();
        for (const { user, type } of toggles) {
          const plan = planToggle(mine.get(user) ?? null, type);
          mine.set(user, plan.next);
          for (const [t, d] of Object.entries(plan.delta)) counts[t as ReactionType] += d;
        }
        const recount = emptyCounts();
        for (const type of mine.values()) if (type) recount[type] += 1;
        expect(counts).toEqual(recount);
      }),
    );
  });
});

describe("sumShards", () => {
  it("always answers all six types, adding what each shard holds and ignoring anything else", () => {
    expect(sumShards([])).toEqual({ like: 0, love: 0, haha: 0, wow: 0, sad: 0, pray: 0 });
    expect(sumShards([{ like: 2, sad: 1 }, { like: -1, wow: 3, angry: 9 }, { love: "7" }])).toEqual({
      like: 1,
      love: 0,
      haha: 0,
      wow: 3,
      sad: 1,
      pray: 0,
    });
  });
});

describe("storedReactionType", () => {
  it("reads one of the six types and treats anything else as no reaction", () => {
    expect(storedReactionType({ type: "pray" })).toBe("pray");
    expect(storedReactionType({ type: "angry" })).toBeNull();
    expect(storedReactionType(undefined)).toBeNull();
  });
});

describe("toggleReactionRequestSchema", () => {
  it("rejects an unknown type with a message naming the field", () => {
    const parsed = toggleReactionRequestSchema.safeParse({ showId: 1, season: 1, episode: 1, type: "angry" });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeValidationError(parsed.error)).toMatch(/^type: /);
  });

  it("accepts specials (season 0) and rejects episode 0", () => {
    expect(toggleReactionRequestSchema.safeParse({ showId: 1, season: 0, episode: 1, type: "wow" }).success).toBe(true);
    const parsed = toggleReactionRequestSchema.safeParse({ showId: 1, season: 1, episode: 0, type: "wow" });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeValidationError(parsed.error)).toMatch(/^episode: /);
  });
});
