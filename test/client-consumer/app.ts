// A small app, compiled by test/unit/clientPackage.test.ts exactly as a web or React Native app would
// compile against the built @tvtracker/client package (its dist/, not the functions' sources).
import { initializeApp } from "firebase/app";
import { getFunctions } from "firebase/functions";
import { createTvTrackerClient, type ShowProgress, type TvTrackerClient } from "@tvtracker/client";

export async function openLibrary(): Promise<string[]> {
  const app = initializeApp({ projectId: "demo-consumer", apiKey: "demo" });
  const api: TvTrackerClient = createTvTrackerClient(getFunctions(app, "us-central1"));

  const { shows } = await api.getLibrary();
  const labels: string[] = shows.map((show: ShowProgress) => `${show.name}: ${show.label}`);

  const enriched = await api.enrichShow({ showId: 1399 });
  const pending: number[] = enriched.pendingSeasons;

  await api.markWatched({ showId: 1399, target: { type: "season", season: 1 } });
  const playback = await api.savePlayback({
    media: { type: "episode", showId: 1399, season: 1, episode: 1 },
    positionSeconds: 60,
    durationSeconds: 3600,
  });
  const percent: number = playback.completionPercentage;

  // @ts-expect-error showId is a number, not a string: the request type comes from the zod schema.
  await api.enrichShow({ showId: "1399" });
  // @ts-expect-error there is no such callable.
  await api.deleteEverything();
  // @ts-expect-error the response has no such field.
  void enriched.malformedKeys;

  return [...labels, String(pending.length), String(percent)];
}
