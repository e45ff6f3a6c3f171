import { Timestamp } from "firebase-admin/firestore";
import { lookupRef } from "../../functions/src/cache/lookups";
import { historyCollection } from "../../functions/src/tracking/plays";
import { importCsv } from "../../functions/src/history/importCsv";
import { titleDocId } from "../../functions/src/cache/titles";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

/** A show with a name no other test file searches for (the lookup cache is global). */
async function namedShow(prefix: string, airDate = "2019-03-01"): Promise<{ id: number; name: string }> {
  const id = uniqueShowId();
  const name = `${prefix} ${uniqueId("t")}`;
  await env.fake.setShow(id, { name, seasons: [{ episodes: 8, airDate }] });
  return { id, name };
}

describe("importCsv", () => {
  it("parses spreadsheet CSV, resolves cleaned titles through /search/tv and reports unmatched titles and invalid rows", async () => {
    const uid = uniqueId("user");
    const [office, quoted, dated, direct] = await Promise.all([
      namedShow("Office"),
      namedShow("Law, Order"),
      namedShow("Dated"),
      namedShow("Direct"),
    ]);
    const missing = `Nowhere ${uniqueId("t")}`;
    const csv =
      "\uFEFFtitle,season,episode,watched_at,tmdb_id\r\n" +
      `${office.name} (US),1,1,2024-01-01T20:00:00Z,\r\n` + // row 2: country suffix dropped
      `"${quoted.name}",1,2,2024-01-02 21:00,\r\n` + // row 3: comma inside quotes
      `"${dated.name} (2019)",1,3,2024-01-03,\r\n` + // row 4: year → first_air_date_year
      `"${dated.name} (2018)",1,3,2024-01-03,\r\n` + // row 5: wrong year: unmatched
      `${missing},1,1,2024-01-04T00:00:00Z,\r\n` + // row 6: unmatched
      `${missing},1,2,2024-01-04T00:00:00Z,\r\n` + // row 7: the same title, reported once
      `Anything,2,5,2024-01-05T00:00:00Z,${direct.id}\r\n` + // row 8: tmdb_id wins, no search
      `${office.name},one,1,2024-01-01T20:00:00Z,\r\n` + // row 9: bad season
      "\r\n" + // row 10: blank
      `"${office.name.toUpperCase()}",1,2,"2024-01-06T20:00:00Z",\r\n` + // row 11: same title, other case
      `${office.name},1,1,2024-13-01T00:00:00Z,\r\n` + // row 12: bad date
      `${office.name} (US),1,1,2024-01-01T20:00:00Z,\r\n`; // row 13: duplicate of row 2
    const result = await importCsv(env.context(), uid, csv);
    expect(result).toEqual({ added: 5, duplicates: 1, unmatched: [`${dated.name} (2018)`, missing], invalidRows: [9, 12] });

    const history = (await historyCollection(env.db, uid).get()).docs.map((d) => d.id).sort();
    expect(history).toEqual(
      [
        `csv_${office.id}_1_1_${Date.parse("2024-01-01T20:00:00Z")}`,
        `csv_${office.id}_1_2_${Date.parse("2024-01-06T20:00:00Z")}`,
        `csv_${quoted.id}_1_2_${Date.parse("2024-01-02T21:00:00Z")}`,
        `csv_${dated.id}_1_3_${Date.parse("2024-01-03T00:00:00Z")}`,
        `csv_${direct.id}_2_5_${Date.parse("2024-01-05T00:00:00Z")}`,
      ].sort(),
    );
    expect(
      (
        await historyCollection(env.db, uid)
          .doc(history.find((id) => id.startsWith(`csv_${direct.id}`)) as string)
          .get()
      ).data(),
    ).toEqual({
      showId: direct.id,
      season: 2,
      episode: 5,
      watchedAt: Timestamp.fromDate(new Date("2024-01-05T00:00:00Z")),
      source: "csv",
      sourceId: null,
      action: "watch",
    });
    expect((await trackingRef(env.db, uid, office.id).get()).data()?.episodes["1_2"]).toMatchObject({
      watched: true,
      plays: 1,
      episodeName: `S1E2 of ${office.name}`,
    });

    const searches = await env.fake.requests("/search/tv");
    const asked = (query: string) => searches.filter((r) => r.query.query === query);
    expect(asked(office.name)).toHaveLength(1);
    expect(
      asked(dated.name)
        .map((r) => r.query.first_air_date_year)
        .sort(),
    ).toEqual(["2018", "2019"]);
    expect(searches.some((r) => r.query.query === "Anything")).toBe(false);
    const cached = await lookupRef(env.db, "search", titleDocId(`${office.name.toLowerCase()}|`)).get();
    expect(cached.data()).toMatchObject({ showId: office.id, status: "complete" });

    // Replaying the file adds nothing; another user importing the same titles costs no search.
    const searchesBefore = (await env.fake.stats("/search/tv")).total;
    expect(await importCsv(env.context(), uid, csv)).toEqual({
      added: 0,
      duplicates: 6,
      unmatched: result.unmatched,
      invalidRows: [9, 12],
    });
    expect(await importCsv(env.context(), uniqueId("user"), csv)).toEqual(result);
    expect((await env.fake.stats("/search/tv")).total).toBe(searchesBefore);
  });

  it("refuses a file without the header row, writing nothing", async () => {
    const uid = uniqueId("user");
    await expect(importCsv(env.context(), uid, "Some Show,1,1,2024-01-01\n")).rejects.toMatchObject({
      code: "invalid-argument",
      message: expect.stringMatching(/^csv: /),
    });
    await expect(importCsv(env.context(), uid, 'title,season,episode,watched_at\n"open,1,1,2024-01-01\n')).rejects.toMatchObject({
      code: "invalid-argument",
    });
    expect((await historyCollection(env.db, uid).get()).size).toBe(0);
  });

  it("never fails because TMDB search is down: those titles are unmatched, nothing about them is cached, and a later import resolves them", async () => {
    const uid = uniqueId("user");
    const show = await namedShow("Flaky");
    const direct = uniqueShowId();
    await env.fake.addFault({ path: "/search/tv", kind: "500", times: 4 });
    const csv = `title,season,episode,watched_at,tmdb_id\n${show.name},1,1,2024-01-01T00:00:00Z,\nOther,1,1,2024-01-01T00:00:00Z,${direct}\n`;
    expect(await importCsv(env.context(), uid, csv)).toEqual({ added: 1, duplicates: 0, unmatched: [show.name], invalidRows: [] });
    expect((await lookupRef(env.db, "search", titleDocId(`${show.name.toLowerCase()}|`)).get()).exists).toBe(false);
    expect(await importCsv(env.context(), uid, csv)).toEqual({ added: 1, duplicates: 1, unmatched: [], invalidRows: [] });
  });
});
