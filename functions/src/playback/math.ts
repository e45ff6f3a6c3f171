/** Below this share of the duration nothing counts as started (Jellyfin's minimum resume percentage). */
export const STARTED_PERCENT = 5;

export interface PlaybackState {
  positionSeconds: number;
  durationSeconds: number;
  watchedSeconds: number;
  completionPercentage: number;
  watched: boolean;
}

export interface PlaybackSave {
  positionSeconds: number;
  durationSeconds: number;
}

export interface PlaybackStep {
  state: PlaybackState;
  /** False for a save below 5 % of an item with no stored state: nothing is written. */
  store: boolean;
  /** This save made the item watched: the moment to record its one play. */
  becameWatched: boolean;
}

/** `position / duration` as a percentage in 0..100, rounded to two decimals for display. */
export function completionPercentage(positionSeconds: number, durationSeconds: number): number {
  const percent = Math.min(100, Math.max(0, (positionSeconds / durationSeconds) * 100));
  return Math.round(percent * 100) / 100;
}

/** Compared exactly (not on the rounded percentage), so 89.999 % is not watched at 90. */
export const reachesPercent = (save: PlaybackSave, percent: number) => save.positionSeconds * 100 >= percent * save.durationSeconds;

/**
 * The idempotent upsert of one save: the position is always the latest, `watchedSeconds` only grows,
 * `watched` is sticky once a save reaches `watchedPercent`. Pure.
 */
export function nextPlaybackState(previous: PlaybackState | undefined, save: PlaybackSave, watchedPercent: number): PlaybackStep {
  const reachedWatched = reachesPercent(save, watchedPercent);
  const watched = previous?.watched === true || reachedWatched;
  const state: PlaybackState = {
    positionSeconds: save.positionSeconds,
    durationSeconds: save.durationSeconds,
    watchedSeconds: Math.max(previous?.watchedSeconds ?? 0, save.positionSeconds),
    completionPercentage: completionPercentage(save.positionSeconds, save.durationSeconds),
    watched,
  };
  const store = previous !== undefined || watched || reachesPercent(save, STARTED_PERCENT);
  return { state, store, becameWatched: watched && previous?.watched !== true };
}
