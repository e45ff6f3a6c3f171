import type { LibraryShow } from "@tvtracker/client";

/** "S02E05" */
export const episodeCode = (season: number, episode: number) => `S${String(season).padStart(2, "0")}E${String(episode).padStart(2, "0")}`;

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  return <progress class="bar" value={value} max={Math.max(max, 1)} aria-label={label} />;
}

export function UpNext({ show }: { show: Pick<LibraryShow, "nextEpisode" | "status"> }) {
  // Paused and dropped shows have nothing up next (CONTRACT §7), whatever an older entry still holds.
  const next = show.status === "paused" || show.status === "dropped" ? null : show.nextEpisode;
  if (!next) return <span class="muted">{show.status === "watching" ? "Caught up" : "—"}</span>;
  return (
    <span>
      Up next {episodeCode(next.season, next.episode)}
      {next.name ? ` “${next.name}”` : ""}
    </span>
  );
}
