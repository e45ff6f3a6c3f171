import { useEffect, useState } from "preact/hooks";
import { doc, getDoc } from "firebase/firestore";
import type { CallableRequest, ShowProgress } from "@tvtracker/client";
import { errorText } from "../firebase";
import { profileArg, useCollection, useDocument, useHousehold, useLibrary, useSession } from "../data";
import { episodeCode, ProgressBar, UpNext } from "../ui/Progress";

interface CachedEpisode {
  episodeId: number;
  episodeName: string;
  episodeAirDate: string | null;
}
interface TrackingDoc {
  episodes?: Record<string, { watched?: boolean; plays?: number }>;
}
const REACTIONS = [
  ["like", "👍"],
  ["love", "❤️"],
  ["haha", "😂"],
  ["wow", "😮"],
  ["sad", "😢"],
  ["pray", "🙏"],
] as const;
type ReactionType = (typeof REACTIONS)[number][0];

/** A show: seasons and episodes (names, air dates) from the global cache, marks, rating, reactions, sharing. */
export function Show({ id }: { id: string }) {
  const session = useSession();
  const showId = Number(id);
  const library = useLibrary();
  const [progress, setProgress] = useState<ShowProgress | null>(null);
  const [seasons, setSeasons] = useState<Array<{ season: number; episodes: Array<[number, CachedEpisode]> }>>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<{ season: number; episode: number; name: string } | null>(null);
  const tracking = useDocument<TrackingDoc>(["users", session.profileId, "episode_tracking", String(showId)]);
  const rating = useDocument<{ rating: number }>(["users", session.profileId, "ratings", `tv_${showId}`]);

  // getShowProgress fills the global cache for every season of the show; the episodes are then read from it.
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const api = await session.backend.api();
        const answer = await api.getShowProgress({ showId, ...profileArg(session) });
        if (!live) return;
        setProgress(answer);
        const loaded = await Promise.all(
          answer.seasons.map(async ({ season }) => {
            const snap = await getDoc(doc(session.backend.db, "tmdb_cache", "tv", "seasons", `${showId}_${season}`));
            const episodes = (snap.get("episodes") ?? {}) as Record<string, CachedEpisode>;
            return {
              season,
              episodes: Object.entries(episodes)
                .map(([n, e]) => [Number(n), e] as [number, CachedEpisode])
                .sort((a, b) => a[0] - b[0]),
            };
          }),
        );
        if (live) setSeasons(loaded);
      } catch (e) {
        if (live) setError(errorText(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [showId, session.profileId]);

  const entry = library.shows.find((show) => show.showId === showId);
  // A mark shows at once (the checkbox the user clicked), then as the tracking document's listener reports it.
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const stored = (key: string) => tracking.data?.episodes?.[key]?.watched === true;
  useEffect(() => setPending({}), [tracking.data]);
  const watched = (season: number, episode: number) => pending[`${season}_${episode}`] ?? stored(`${season}_${episode}`);
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
      setPending({});
    } finally {
      setBusy(false);
    }
  };
  // "We watched it together" (§9): the profiles ticked here are marked with the active one, in one call.
  const household = useHousehold();
  const [together, setTogether] = useState<string[]>([]);
  const companions = household.profiles.filter(
    (p) => p.profileId !== session.profileId && (p.kind === "managed" || p.profileId === session.user.uid),
  );
  const mark = (target: CallableRequest<"markWatched">["target"], on: boolean) =>
    act(async () => {
      const api = await session.backend.api();
      const who = together.length > 0 ? { profileIds: [session.profileId, ...together] } : profileArg(session);
      await api.markWatched({ showId, target, watched: on, ...who });
    });
  const today = new Date().toISOString().slice(0, 10);

  return (
    <section aria-labelledby="show-title">
      <h1 id="show-title">{progress?.name ?? entry?.name ?? `Show ${showId}`}</h1>
      <div class="summary">
        {entry ? (
          <>
            <ProgressBar value={entry.completed} max={entry.aired ?? entry.completed} label="Show progress" />
            <span class="label" data-testid="show-label">
              {entry.label}
            </span>
            <span class="next" data-testid="show-next">
              <UpNext show={entry} />
            </span>
          </>
        ) : (
          <span class="muted">Not in your library yet: mark an episode to add it.</span>
        )}
      </div>
      <label class="rating">
        Your rating{" "}
        <select
          value={rating.data?.rating ?? ""}
          disabled={busy}
          onChange={(e) => {
            const value = e.currentTarget.value;
            void act(async () =>
              (await session.backend.api()).rate({
                target: { type: "show", showId },
                rating: value === "" ? null : Number(value),
                ...profileArg(session),
              }),
            );
          }}
        >
          <option value="">Not rated</option>
          {Array.from({ length: 10 }, (_, i) => (
            <option value={i + 1}>{i + 1}/10</option>
          ))}
        </select>
      </label>
      {companions.length > 0 ? (
        <fieldset class="together">
          <legend>We watched it together</legend>
          {companions.map((p) => (
            <label class="inline">
              <input
                type="checkbox"
                checked={together.includes(p.profileId)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setTogether((list) => (on ? [...list, p.profileId] : list.filter((id) => id !== p.profileId)));
                }}
              />{" "}
              {p.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {seasons.length === 0 && !error ? <p aria-busy="true">Loading episodes…</p> : null}
      {seasons.map(({ season, episodes }) => {
        const allWatched = episodes.length > 0 && episodes.every(([n]) => watched(season, n));
        return (
          <section class="season" aria-labelledby={`season-${season}`}>
            <h2 id={`season-${season}`}>
              Season {season}{" "}
              <button type="button" disabled={busy} onClick={() => void mark({ type: "season", season }, !allWatched)}>
                {allWatched ? `Unmark season ${season}` : `Mark season ${season} watched`}
              </button>
            </h2>
            <ol class="episodes">
              {episodes.map(([n, episode]) => {
                const seen = watched(season, n);
                const aired = episode.episodeAirDate !== null && episode.episodeAirDate <= today;
                return (
                  <li class={seen ? "episode seen" : "episode"} data-episode={`${season}_${n}`}>
                    <input
                      type="checkbox"
                      id={`ep-${season}-${n}`}
                      checked={seen}
                      disabled={busy || (!aired && !seen)}
                      onChange={() => {
                        setPending((p) => ({ ...p, [`${season}_${n}`]: !seen }));
                        void mark({ type: "episodes", episodes: [{ season, episode: n }] }, !seen);
                      }}
                    />
                    <label for={`ep-${season}-${n}`}>
                      <span class="code">{episodeCode(season, n)}</span> {episode.episodeName || `Episode ${n}`}
                    </label>
                    <span class="muted">{episode.episodeAirDate ?? "TBA"}</span>
                    <button
                      type="button"
                      class="link"
                      aria-label={`React · share ${episodeCode(season, n)}`}
                      onClick={() => setSelected({ season, episode: n, name: episode.episodeName })}
                    >
                      React · share
                    </button>
                  </li>
                );
              })}
            </ol>
          </section>
        );
      })}
      {selected ? <EpisodePanel showId={showId} {...selected} onClose={() => setSelected(null)} /> : null}
    </section>
  );
}

/** Reactions on one episode, and sharing it with a friend (§10). */
function EpisodePanel(props: { showId: number; season: number; episode: number; name: string; onClose(): void }) {
  const session = useSession();
  const { showId, season, episode } = props;
  const [reactions, setReactions] = useState<{ counts: Record<string, number>; mine: ReactionType | null } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const friends = useCollection<{ since: unknown }>(["users", session.user.uid, "friends"]);

  useEffect(() => {
    void session.backend
      .api()
      .then((api) => api.getReactions({ showId, season, episode, ...profileArg(session) }))
      .then(
        (answer) => setReactions(answer as typeof reactions),
        (e: unknown) => setMessage(errorText(e)),
      );
  }, [showId, season, episode]);

  const react = async (type: ReactionType) => {
    try {
      const answer = await (await session.backend.api()).toggleReaction({ showId, season, episode, type, ...profileArg(session) });
      setReactions({ counts: answer.counts as Record<string, number>, mine: answer.action === "removed" ? null : type });
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  const share = async (friendUid: string) => {
    try {
      const api = await session.backend.api();
      const { conversationId } = await api.openConversation({ uid: friendUid });
      await api.sendMessage({
        conversationId,
        clientMessageId: crypto.randomUUID(),
        share: { type: "episode", showId, season, episode },
      });
      setMessage("Shared.");
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <aside class="panel" aria-labelledby="panel-title">
      <h2 id="panel-title">
        {episodeCode(season, episode)} {props.name}
      </h2>
      <div role="group" aria-label="Reactions" class="reactions">
        {REACTIONS.map(([type, emoji]) => (
          <button type="button" class="chip" aria-pressed={reactions?.mine === type} onClick={() => void react(type)}>
            <span aria-hidden="true">{emoji}</span> {type} {reactions?.counts[type] ?? 0}
          </button>
        ))}
      </div>
      <h3>Share with a friend</h3>
      {friends.data?.length ? (
        <ul class="plain">
          {friends.data.map(([uid]) => (
            <li>
              <FriendName uid={uid} />{" "}
              <button type="button" onClick={() => void share(uid)}>
                Share
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">
          No friends yet: <a href="/friends">add one</a>.
        </p>
      )}
      {message ? <p role="status">{message}</p> : null}
      <button type="button" class="secondary" onClick={props.onClose}>
        Close
      </button>
    </aside>
  );
}

export function FriendName({ uid }: { uid: string }) {
  const profile = useDocument<{ handle: string; displayName: string }>(["public_profiles", uid]);
  return <span>{profile.data ? `${profile.data.displayName} (@${profile.data.handle})` : uid}</span>;
}
