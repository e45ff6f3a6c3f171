/**
 * Webhook bodies written from the public layouts of Plex's webhooks and the two Jellyfin webhook
 * plugins (field names and types as those servers send them), with only what a test varies as
 * parameters. Extra fields the servers send are included so parsers are tested against them.
 */
import { randomBytes } from "node:crypto";

export interface EpisodeRef {
  showTitle: string;
  season: number;
  episode: number;
  /** The EPISODE's ids, as Plex's `Guid` array and Jellyfin's `Provider_*` carry them. */
  tvdb?: string;
  imdb?: string;
  tmdb?: number;
}

export interface MovieRef {
  title: string;
  year?: number;
  tmdb?: number;
  imdb?: string;
}

export function plexPayload(options: {
  event: string;
  account?: string;
  episode?: EpisodeRef;
  movie?: MovieRef;
  viewOffsetMs?: number;
  durationMs?: number;
  rating?: number;
}): Record<string, unknown> {
  const { episode, movie } = options;
  const guids = [
    ...(episode?.imdb || movie?.imdb ? [{ id: `imdb://${episode?.imdb ?? movie?.imdb}` }] : []),
    ...(episode?.tmdb || movie?.tmdb ? [{ id: `tmdb://${episode?.tmdb ?? movie?.tmdb}` }] : []),
    ...(episode?.tvdb ? [{ id: `tvdb://${episode.tvdb}` }] : []),
  ];
  const metadata: Record<string, unknown> = episode
    ? {
        librarySectionType: "show",
        ratingKey: "5001",
        key: "/library/metadata/5001",
        guid: "plex://episode/5f0c4a9b8f1e2d0040a1b2c3",
        grandparentGuid: "plex://show/5d9c08a1e98e47001eb0d2a1",
        type: "episode",
        title: `Episode ${episode.episode}`,
        grandparentTitle: episode.showTitle,
        parentTitle: `Season ${episode.season}`,
        index: episode.episode,
        parentIndex: episode.season,
        Guid: guids,
        Role: [{ id: 1, tag: "Someone", role: "Somebody" }],
      }
    : {
        librarySectionType: "movie",
        ratingKey: "6001",
        guid: "plex://movie/5d776b59ad5437001f79c6f8",
        type: "movie",
        title: movie?.title ?? "A Movie",
        year: movie?.year ?? 2001,
        Guid: guids,
      };
  if (options.viewOffsetMs !== undefined) metadata.viewOffset = options.viewOffsetMs;
  if (options.durationMs !== undefined) metadata.duration = options.durationMs;
  return {
    event: options.event,
    user: true,
    owner: true,
    ...(options.rating !== undefined ? { rating: options.rating } : {}),
    Account: { id: 1, thumb: "https://plex.tv/users/abc/avatar", title: options.account ?? "alice" },
    Server: { title: "Living room", uuid: "0123456789abcdef0123456789abcdef01234567" },
    Player: { local: true, publicAddress: "203.0.113.7", title: "Plex Web", uuid: "player-1" },
    Metadata: metadata,
  };
}

/** Plex's request: multipart/form-data, the JSON in `payload`, optionally a JPEG `thumb` part after it. */
export function plexMultipart(
  payload: unknown,
  options: { thumbnailBytes?: number; boundary?: string } = {},
): { contentType: string; body: Buffer } {
  const boundary = options.boundary ?? `------------------------${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(payload)}\r\n`,
    ),
  ];
  if (options.thumbnailBytes) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="thumb"; filename="thumb.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
    );
    parts.push(Buffer.alloc(options.thumbnailBytes, 0xff), Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

const TICKS = 10_000_000;

/** The official Jellyfin plugin with "Send All Properties". */
export function jellyfinPayload(options: {
  type: "PlaybackStart" | "PlaybackProgress" | "PlaybackStop" | "UserDataSaved" | string;
  user?: string;
  episode?: EpisodeRef;
  movie?: MovieRef;
  positionSeconds?: number;
  runtimeSeconds?: number;
  playedToCompletion?: boolean;
  played?: boolean;
  saveReason?: string;
}): Record<string, unknown> {
  const { episode, movie } = options;
  const item = episode
    ? {
        Name: `Episode ${episode.episode}`,
        ItemType: "Episode",
        SeriesName: episode.showTitle,
        SeriesId: "0f60e6e72a0890329b0015e48f4b655f",
        SeasonNumber: episode.season,
        SeasonNumber00: String(episode.season).padStart(2, "0"),
        EpisodeNumber: episode.episode,
        EpisodeNumber00: String(episode.episode).padStart(2, "0"),
        ...(episode.tmdb ? { Provider_tmdb: String(episode.tmdb) } : {}),
        ...(episode.tvdb ? { Provider_tvdb: episode.tvdb } : {}),
        ...(episode.imdb ? { Provider_imdb: episode.imdb } : {}),
      }
    : {
        Name: movie?.title ?? "A Movie",
        ItemType: "Movie",
        Year: movie?.year ?? 2001,
        ...(movie?.tmdb ? { Provider_tmdb: String(movie.tmdb) } : {}),
        ...(movie?.imdb ? { Provider_imdb: movie.imdb } : {}),
      };
  return {
    ServerId: "16588a9f062a40c4966586b1d220bffc",
    ServerName: "home",
    ServerVersion: "10.10.3",
    ServerUrl: "",
    NotificationType: options.type,
    Timestamp: "2026-11-29T12:00:00.0000000+01:00",
    UtcTimestamp: "2026-11-29T11:00:00.0000000Z",
    ItemId: "9250ab3d1101d01705c353b78cbb572e",
    ...item,
    ...(options.runtimeSeconds !== undefined ? { RunTimeTicks: options.runtimeSeconds * TICKS, RunTime: "00:42:00" } : {}),
    ...(options.positionSeconds !== undefined
      ? { PlaybackPositionTicks: options.positionSeconds * TICKS, PlaybackPosition: "00:21:00" }
      : {}),
    ...(options.playedToCompletion !== undefined ? { PlayedToCompletion: options.playedToCompletion } : {}),
    ...(options.played !== undefined ? { Played: options.played } : {}),
    ...(options.saveReason !== undefined ? { SaveReason: options.saveReason } : {}),
    IsPaused: false,
    DeviceName: "Chrome",
    ClientName: "Jellyfin Web",
    NotificationUsername: options.user ?? "alice",
    UserId: "3c1b8f3c2d7e4a9b8c6d5e4f3a2b1c0d",
  };
}

/** The Event/Item/Series/Session plugin's "Default" format (Jellyfin DTOs, PascalCase). */
export function jellyfinEventPayload(options: {
  event: string;
  user?: string;
  episode?: EpisodeRef & { showTmdb?: number; showTvdb?: string };
  movie?: MovieRef;
  positionSeconds?: number;
  runtimeSeconds?: number;
  rating?: number;
}): Record<string, unknown> {
  const { episode, movie } = options;
  const runtime = options.runtimeSeconds !== undefined ? { RunTimeTicks: options.runtimeSeconds * TICKS } : {};
  const item = episode
    ? {
        Name: `Episode ${episode.episode}`,
        Id: "a1b2c3",
        Type: "Episode",
        SeriesName: episode.showTitle,
        IndexNumber: episode.episode,
        ParentIndexNumber: episode.season,
        ProviderIds: {
          ...(episode.tvdb ? { Tvdb: episode.tvdb } : {}),
          ...(episode.imdb ? { Imdb: episode.imdb } : {}),
          ...(episode.tmdb ? { Tmdb: String(episode.tmdb) } : {}),
        },
        ...runtime,
        UserData: {
          PlaybackPositionTicks: (options.positionSeconds ?? 0) * TICKS,
          Played: false,
          ...(options.rating !== undefined ? { Rating: options.rating } : {}),
        },
      }
    : {
        Name: movie?.title ?? "A Movie",
        Id: "d4e5f6",
        Type: "Movie",
        ProductionYear: movie?.year ?? 2001,
        ProviderIds: { ...(movie?.tmdb ? { Tmdb: String(movie.tmdb) } : {}), ...(movie?.imdb ? { Imdb: movie.imdb } : {}) },
        ...runtime,
        UserData: { PlaybackPositionTicks: 0, Played: false, ...(options.rating !== undefined ? { Rating: options.rating } : {}) },
      };
  return {
    Event: options.event,
    Item: item,
    Series: episode
      ? {
          Name: episode.showTitle,
          Type: "Series",
          ProviderIds: {
            ...(episode.showTmdb ? { Tmdb: String(episode.showTmdb) } : {}),
            ...(episode.showTvdb ? { Tvdb: episode.showTvdb } : {}),
          },
        }
      : null,
    User: { Name: options.user ?? "alice", Id: "3c1b8f3c" },
    Session: {
      Id: "s1",
      Client: "Jellyfin Web",
      DeviceName: "Chrome",
      PlayState: { PositionTicks: (options.positionSeconds ?? 0) * TICKS, IsPaused: false },
    },
    Server: { Id: "srv", Name: "home", Version: "10.10.3" },
  };
}
