import { doc, onSnapshot } from "firebase/firestore";
import { historyCollection } from "../../functions/src/tracking/plays";
import { tvTimeExport } from "../../tools/exports/tvtime";
import { uniqueShowId } from "../support/admin";
import { sharedFakeTmdb } from "../support/client";
import { importThroughClient } from "../support/imports";
import { useE2eEnv } from "../support/e2e";

const e2e = useE2eEnv();
const fake = sharedFakeTmdb();

describe("TV Time import through the client SDK and the emulated Cloud Tasks queue", () => {
  it("uploads a multi-part export, runs it on the importTasks queue, and a second import adds 0", async () => {
    const u = await e2e.user();
    const [a, b] = [uniqueShowId(), uniqueShowId()];
    await fake.setShow(a, {
      name: "Imported Alpha",
      seasons: [
        { episodes: 6, airDate: "2015-01-01" },
        { episodes: 6, airDate: "2016-01-01" },
      ],
    });
    await fake.setShow(b, { name: "Imported Beta", seasons: [{ episodes: 8, airDate: "2017-01-01" }] });
    const { zip, plays } = tvTimeExport(
      [
        {
          showId: a,
          name: "Imported Alpha",
          watched: [
            [1, 1],
            [1, 2],
            [1, 3],
            [1, 4],
            [1, 5],
            [1, 6],
            [2, 1],
          ],
          rewatched: [[1, 1, 2]],
        },
        {
          showId: b,
          name: "Imported Beta",
          watched: [
            [1, 1],
            [1, 2],
            [1, 3],
          ],
          archived: true,
        },
      ],
      { paddingBytes: 700 * 1024 },
    );
    expect(plays).toBe(12);

    const first = await importThroughClient(u, "tvtime-export.zip", zip);
    expect(first.parts).toBe(2);
    const done = first.states.at(-1);
    expect(done).toMatchObject({
      status: "done",
      source: "auto",
      error: null,
      counts: { added: 12, duplicates: 0, shows: 2, movies: 0, unmatched: 0, invalid: 0 },
      unmatched: [],
    });
    expect(done?.progress.processed).toBe(done?.progress.total);
    // The task ran on the queue: the listener saw the document leave `queued`.
    expect(first.states.map((s) => s.status)).toContain("queued");

    const library = await u.api.getLibrary({ includeHidden: true });
    const byId = new Map(library.shows.map((s) => [s.showId, s]));
    expect(byId.get(a)).toMatchObject({ name: "Imported Alpha", completed: 7, aired: 12, status: "watching" });
    expect(byId.get(b)).toMatchObject({ name: "Imported Beta", completed: 3, status: "dropped" });
    expect((await historyCollection(e2e.db, u.uid).get()).size).toBe(12);

    const second = await importThroughClient(u, "tvtime-export.zip", zip);
    expect(second.states.at(-1)).toMatchObject({ status: "done", counts: { added: 0, duplicates: 12, shows: 2 } });
    expect((await historyCollection(e2e.db, u.uid).get()).size).toBe(12);
  });

  it("another user cannot read the import document", async () => {
    const [owner, other] = [await e2e.user(), await e2e.user()];
    const { importId } = await owner.api.createImport({ fileName: "seen_episode.csv", sizeBytes: 10 });
    const denied = new Promise((resolve) =>
      onSnapshot(
        doc(other.firestore(), "users", owner.uid, "imports", importId),
        () => resolve("read"),
        (error) => resolve(error.code),
      ),
    );
    expect(await denied).toBe("permission-denied");
  });
});
