import { useState } from "preact/hooks";
import type { LibraryShow } from "@tvtracker/client";
import { useLibrary } from "../data";
import { ProgressBar, UpNext } from "../ui/Progress";

const FILTERS = ["all", "watching", "planned", "paused", "dropped"] as const;
type Filter = (typeof FILTERS)[number];

/** The library, live from the summary document: progress, up next, status filters. */
export function Library() {
  const library = useLibrary();
  const [filter, setFilter] = useState<Filter>("all");
  const shows = library.shows.filter((show) => filter === "all" || show.status === filter);
  return (
    <section aria-labelledby="library-title">
      <h1 id="library-title">Library</h1>
      <div class="filters" role="group" aria-label="Status">
        {FILTERS.map((f) => (
          <button type="button" class="chip" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {f[0]?.toUpperCase()}
            {f.slice(1)}
            {f === "all" ? "" : ` (${library.shows.filter((s) => s.status === f).length})`}
          </button>
        ))}
      </div>
      {library.error ? (
        <p role="alert" class="error">
          {library.error}
        </p>
      ) : null}
      {!library.ready ? (
        <p aria-busy="true">Loading your library…</p>
      ) : shows.length === 0 ? (
        <p class="empty">
          {library.shows.length === 0 ? (
            <>
              Nothing tracked yet. <a href="/move-in">Move in from TV Time or Trakt</a>.
            </>
          ) : (
            "No show with this status."
          )}
        </p>
      ) : (
        <ul class="library" aria-label="Shows" aria-busy={library.refreshing}>
          {shows.map((show) => (
            <ShowRow key={show.showId} show={show} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ShowRow({ show }: { show: LibraryShow }) {
  return (
    <li class="show" data-show-id={show.showId}>
      <a class="title" href={`/show/${show.showId}`}>
        {show.name ?? `Show ${show.showId}`}
      </a>
      <ProgressBar value={show.completed} max={show.aired ?? show.completed} label={`${show.name ?? "Show"} progress`} />
      <span class="label">{show.label}</span>
      <span class={`status status-${show.status}`}>{show.status}</span>
      <span class="next">
        <UpNext show={show} />
      </span>
    </li>
  );
}
