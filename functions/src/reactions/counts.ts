import { REACTION_TYPES, type ReactionCounts, type ReactionType } from "./schemas";

export type ToggleAction = "added" | "changed" | "removed";

/** What one toggle does: the caller's reaction afterwards and the change to each type's count. */
export interface TogglePlan {
  action: ToggleAction;
  next: ReactionType | null;
  delta: Partial<Record<ReactionType, 1 | -1>>;
}

/** What a `setReaction` does: like a toggle, or nothing when the reaction already is the one asked for. */
export type SetPlan = TogglePlan | { action: "unchanged"; next: ReactionType | null; delta: Partial<Record<ReactionType, 1 | -1>> };

/** At most one reaction per user and episode: the same type again removes it, another replaces it. */
export function planToggle(current: ReactionType | null, requested: ReactionType): TogglePlan {
  if (current === requested) return { action: "removed", next: null, delta: { [current]: -1 } };
  if (current === null) return { action: "added", next: requested, delta: { [requested]: 1 } };
  return { action: "changed", next: requested, delta: { [current]: -1, [requested]: 1 } };
}

/** An explicit end state (`null`: no reaction): applying it twice is the same as once. */
export function planSet(current: ReactionType | null, requested: ReactionType | null): SetPlan {
  if (current === requested) return { action: "unchanged", next: current, delta: {} };
  if (requested === null) return { action: "removed", next: null, delta: { [current as ReactionType]: -1 } };
  return planToggle(current, requested);
}

export function emptyCounts(): ReactionCounts {
  return Object.fromEntries(REACTION_TYPES.map((type) => [type, 0])) as ReactionCounts;
}

/**
 * Adds up counter shards. A shard holds only the types ever written to it, as plain numbers; other
 * fields are ignored so a shard can never smuggle a seventh type into the response.
 */
export function sumShards(shards: Iterable<Record<string, unknown>>): ReactionCounts {
  const counts = emptyCounts();
  for (const shard of shards) {
    for (const type of REACTION_TYPES) {
      const value = shard[type];
      if (typeof value === "number" && Number.isFinite(value)) counts[type] += value;
    }
  }
  return counts;
}

/** A stored reaction type, or null for a missing document or a value that is not one of the six. */
export function storedReactionType(data: Record<string, unknown> | undefined): ReactionType | null {
  const type = data?.type;
  return typeof type === "string" && (REACTION_TYPES as readonly string[]).includes(type) ? (type as ReactionType) : null;
}
