import type { Playback } from "@tvtracker/client";
import { profileArg, useLibrary, useSession } from "../data";
import { episodeCode, ProgressBar, UpNext } from "../ui/Progress";
import { useAnswer } from "../ui/useAction";

/** What to watch now: items paused midway (getContinueWatching), then the shows with an episode up next. */
export function Continue() {
  const session = useSession();
  const library = useLibrary();
  const { answer, error } = useAnswer("getContinueWatching", { limit: 20, ...profileArg(session) });
  const items: Playback[] | null = answer?.items ?? null;
  const names = new Map(library.shows.map((show) => [show.showId, show.name]));
  const upNext = library.shows.filter((show) => show.status === "watching" && show.nextEpisode);

  return (
    <section aria-labelledby="continue-title">
      <h1 id="continue-title">Continue watching</h1>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {items === null && !error ? <p aria-busy="true">Loading…</p> : null}
      {items?.length === 0 ? <p class="muted">Nothing paused midway.</p> : null}
      {items?.length ? (
        <ul class="plain" aria-label="In progress">
          {items.map((item) => {
            const left = Math.max(0, Math.round((item.durationSeconds - item.positionSeconds) / 60));
            const title =
              item.media.type === "episode"
                ? `${names.get(item.media.showId) ?? `Show ${item.media.showId}`} ${episodeCode(item.media.season, item.media.episode)}`
                : `Movie ${item.media.movieId}`;
            return (
              <li key={item.mediaKey}>
                <span class="inline-bar">
                  <ProgressBar value={item.positionSeconds} max={item.durationSeconds} label={`${title} position`} />
                </span>{" "}
                {title} · {left} min left
              </li>
            );
          })}
        </ul>
      ) : null}
      <h2>Up next</h2>
      {upNext.length === 0 ? <p class="muted">{library.ready ? "You are caught up." : "Loading…"}</p> : null}
      <ul class="plain" aria-label="Up next">
        {upNext.map((show) => (
          <li key={show.showId}>
            <a href={`/show/${show.showId}`}>{show.name ?? `Show ${show.showId}`}</a> · <UpNext show={show} />
          </li>
        ))}
      </ul>
    </section>
  );
}
