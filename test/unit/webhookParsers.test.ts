import fc from "fast-check";
import { MAX_WEBHOOK_BYTES, parseWebhookBody } from "../../functions/src/webhooks/body";
import { parseJellyfinEventPayload, parseJellyfinPayload } from "../../functions/src/webhooks/jellyfin";
import { parsePlexPayload, plexRating } from "../../functions/src/webhooks/plex";
import { jellyfinEventPayload, jellyfinPayload, plexMultipart, plexPayload } from "../support/webhookFixtures";

const got = { showTitle: "Game of Thrones", season: 1, episode: 3, tvdb: "81399020003", imdb: "tt01399020003", tmdb: 1399020003 };
const json = (value: unknown, type = "application/json") => ({ type, body: Buffer.from(JSON.stringify(value)) });

describe("Plex payloads", () => {
  it("reads an episode's position, duration, account and EPISODE ids", () => {
    const parsed = parsePlexPayload(
      plexPayload({ event: "media.pause", episode: got, viewOffsetMs: 1_234_567, durationMs: 3_600_000, account: "bob" }),
    );
    expect(parsed).toEqual({
      outcome: "event",
      event: {
        server: "plex",
        kind: "progress",
        account: "bob",
        item: {
          type: "episode",
          showTitle: "Game of Thrones",
          season: 1,
          episode: 3,
          ids: { tvdb: "81399020003", imdb: "tt01399020003", tmdb: 1399020003 },
          showIds: {},
        },
        positionSeconds: 1234.567,
        durationSeconds: 3600,
      },
    });
  });

  it("maps every media event; scrobble is watched, rate a 1..10 rating or null", () => {
    const kind = (event: string) => {
      const parsed = parsePlexPayload(plexPayload({ event, episode: got, rating: 7 }));
      return parsed.outcome === "event" ? parsed.event.kind : parsed.outcome;
    };
    expect(["media.play", "media.resume", "media.pause", "media.stop", "media.scrobble", "media.rate"].map(kind)).toEqual([
      "progress",
      "progress",
      "progress",
      "progress",
      "watched",
      "rate",
    ]);
    expect(kind("library.new")).toBe("ignored");
    expect(kind("admin.database.backup")).toBe("ignored");
    const rated = parsePlexPayload(plexPayload({ event: "media.rate", movie: { title: "Heat", tmdb: 949 }, rating: 8 }));
    expect(rated).toMatchObject({
      outcome: "event",
      event: { kind: "rate", rating: 8, item: { type: "movie", title: "Heat", ids: { tmdb: 949 } } },
    });
    expect([plexRating(-1), plexRating(0), plexRating(0.4), plexRating(9.6), plexRating(25), plexRating("x")]).toEqual([
      null,
      null,
      1,
      10,
      10,
      null,
    ]);
  });

  it("ignores music and other item types, and reads legacy agent guids as the SHOW's id", () => {
    const track = plexPayload({ event: "media.play", episode: got });
    (track.Metadata as Record<string, unknown>).type = "track";
    expect(parsePlexPayload(track)).toMatchObject({ outcome: "ignored" });
    const legacy = plexPayload({ event: "media.scrobble", episode: { showTitle: "Friends", season: 2, episode: 5 } });
    Object.assign(legacy.Metadata as object, { guid: "com.plexapp.agents.thetvdb://79168/2/5?lang=en", Guid: undefined });
    expect(parsePlexPayload(legacy)).toMatchObject({ event: { item: { showIds: { tvdb: "79168" }, season: 2, episode: 5, ids: {} } } });
  });

  it("is lenient to wrong field types and extra fields, but needs an event", () => {
    const odd = plexPayload({ event: "media.play", episode: got });
    Object.assign(odd.Metadata as object, {
      index: "3",
      parentIndex: "one",
      duration: "abc",
      Guid: [{ id: "tvdb://81399020003" }, 42, { id: "bogus" }],
      extra: { deep: [1] },
    });
    expect(parsePlexPayload(odd)).toMatchObject({
      event: { item: { episode: 3, season: null, ids: { tvdb: "81399020003" } }, durationSeconds: null },
    });
    expect(parsePlexPayload({ Metadata: {} })).toMatchObject({ outcome: "invalid" });
    expect(parsePlexPayload({ event: "media.play" })).toMatchObject({ outcome: "invalid" });
    expect(parsePlexPayload([1, 2])).toMatchObject({ outcome: "invalid" });
  });
});

describe("Jellyfin payloads", () => {
  it("reads the official plugin's ticks, completion and provider ids", () => {
    const stop = parseJellyfinPayload(
      jellyfinPayload({ type: "PlaybackStop", episode: got, positionSeconds: 2500, runtimeSeconds: 2600, playedToCompletion: true }),
    );
    expect(stop).toEqual({
      outcome: "event",
      event: {
        server: "jellyfin",
        kind: "watched",
        account: "alice",
        item: {
          type: "episode",
          showTitle: "Game of Thrones",
          season: 1,
          episode: 3,
          ids: { tmdb: 1399020003, tvdb: "81399020003", imdb: "tt01399020003" },
          showIds: {},
        },
        durationSeconds: 2600,
      },
    });
    const early = parseJellyfinPayload(
      jellyfinPayload({
        type: "PlaybackStop",
        episode: got,
        positionSeconds: 5.6722609,
        runtimeSeconds: 1421.097,
        playedToCompletion: false,
      }),
    );
    expect(early).toMatchObject({ event: { kind: "progress", positionSeconds: 5.672, durationSeconds: 1421.097 } });
    expect(
      parseJellyfinPayload(jellyfinPayload({ type: "PlaybackProgress", movie: { title: "Heat", tmdb: 949 }, positionSeconds: 60 })),
    ).toMatchObject({
      event: { kind: "progress", item: { type: "movie", ids: { tmdb: 949 } }, positionSeconds: 60, durationSeconds: null },
    });
  });

  it("takes UserDataSaved with Played (booleans or template strings) as watched, and nothing else", () => {
    const saved = (played: unknown, saveReason?: string) =>
      parseJellyfinPayload({ ...jellyfinPayload({ type: "UserDataSaved", episode: got, saveReason }), Played: played });
    expect(saved(true)).toMatchObject({ event: { kind: "watched" } });
    expect(saved("True", "TogglePlayed")).toMatchObject({ event: { kind: "watched" } });
    expect(saved(false)).toMatchObject({ outcome: "ignored" });
    expect(saved(true, "UpdateUserRating")).toMatchObject({ outcome: "ignored" });
    expect(parseJellyfinPayload(jellyfinPayload({ type: "ItemAdded", episode: got }))).toMatchObject({ outcome: "ignored" });
    expect(parseJellyfinPayload({ ...jellyfinPayload({ type: "PlaybackStart", episode: got }), ItemType: "Audio" })).toMatchObject({
      outcome: "ignored",
    });
  });

  it("reads the Event/Item/Series/Session plugin, with the series' own ids", () => {
    const episode = { ...got, showTmdb: 1399, showTvdb: "121361" };
    expect(
      parseJellyfinEventPayload(
        jellyfinEventPayload({ event: "Pause", episode, positionSeconds: 300, runtimeSeconds: 3000, user: "carol" }),
      ),
    ).toEqual({
      outcome: "event",
      event: {
        server: "jellyfin",
        kind: "progress",
        account: "carol",
        item: {
          type: "episode",
          showTitle: "Game of Thrones",
          season: 1,
          episode: 3,
          ids: { tvdb: "81399020003", imdb: "tt01399020003", tmdb: 1399020003 },
          showIds: { tmdb: 1399, tvdb: "121361" },
        },
        positionSeconds: 300,
        durationSeconds: 3000,
      },
    });
    expect(parseJellyfinEventPayload(jellyfinEventPayload({ event: "Scrobble", episode }))).toMatchObject({ event: { kind: "watched" } });
    expect(parseJellyfinEventPayload(jellyfinEventPayload({ event: "MarkPlayed", movie: { title: "Heat", tmdb: 949 } }))).toMatchObject({
      event: { kind: "watched" },
    });
    expect(parseJellyfinEventPayload(jellyfinEventPayload({ event: "Rate", movie: { title: "Heat" }, rating: 7.6 }))).toMatchObject({
      event: { kind: "rate", rating: 8 },
    });
    expect(parseJellyfinEventPayload(jellyfinEventPayload({ event: "ItemAdded", episode }))).toMatchObject({ outcome: "ignored" });
    expect(parseJellyfinEventPayload({ Event: "Play" })).toMatchObject({ outcome: "invalid" });
  });
});

describe("parseWebhookBody", () => {
  it("reads Plex's multipart payload, skipping the thumbnail part", async () => {
    const { contentType, body } = plexMultipart(plexPayload({ event: "media.scrobble", episode: got, durationMs: 3_000_000 }), {
      thumbnailBytes: 50_000,
    });
    expect(await parseWebhookBody(contentType, body)).toMatchObject({
      outcome: "event",
      event: { server: "plex", kind: "watched", durationSeconds: 3000 },
    });
  });

  it("reads Jellyfin JSON under text/plain, application/json or no content type", async () => {
    for (const type of ["text/plain; charset=utf-8", "application/json", undefined]) {
      const { body } = json(jellyfinPayload({ type: "PlaybackStart", episode: got, positionSeconds: 0 }));
      expect(await parseWebhookBody(type, body)).toMatchObject({ outcome: "event", event: { server: "jellyfin", kind: "progress" } });
    }
  });

  it("answers invalid for bodies that are not webhooks", async () => {
    const cases: Array<[string | undefined, Buffer]> = [
      ["application/json", Buffer.from("")],
      ["application/json", Buffer.from("{nope")],
      ["application/json", Buffer.from("[1,2,3]")],
      ["application/json", Buffer.from('{"hello":"world"}')],
      ["text/plain", Buffer.from("null")],
      ["multipart/form-data", Buffer.from("--x\r\n")],
      ["multipart/form-data; boundary=abc", Buffer.from('--abc\r\nContent-Disposition: form-data; name="other"\r\n\r\n{}\r\n--abc--\r\n')],
      [plexMultipart({ event: 1 }).contentType, plexMultipart({ event: 1 }, { boundary: "b" }).body],
      ["application/json", Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20)],
    ];
    for (const [type, body] of cases) expect(await parseWebhookBody(type, body)).toMatchObject({ outcome: "invalid" });
  });

  it("never throws and never yields an event from random bytes or random JSON", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.constantFrom("application/json", "text/plain", "multipart/form-data; boundary=x", undefined),
        async (bytes, type) => {
          const parsed = await parseWebhookBody(type, Buffer.from(bytes));
          expect(parsed.outcome).not.toBe("event");
        },
      ),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.json(), async (text) => {
        const parsed = await parseWebhookBody("application/json", Buffer.from(text));
        expect(["invalid", "ignored", "event"]).toContain(parsed.outcome);
      }),
      { numRuns: 300 },
    );
  });
});
