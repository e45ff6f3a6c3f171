import { getLibrary } from "../progress/getLibrary";
import { getShowProgress } from "../progress/getShowProgress";
import { advanceEpisode, setProgress } from "../progress/pointer";
import {
  advanceEpisodeRequestSchema,
  getLibraryRequestSchema,
  getShowProgressRequestSchema,
  setProgressRequestSchema,
} from "../progress/schemas";
import { defineCallable } from "./defineCallable";

export const getShowProgressCallable = defineCallable({
  name: "getShowProgress",
  schema: getShowProgressRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => getShowProgress(ctx, uid, data),
});

export const getLibraryCallable = defineCallable({
  name: "getLibrary",
  schema: getLibraryRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => getLibrary(ctx, uid, data),
  // A cold library goes through TMDB show by show.
  options: { timeoutSeconds: 300 },
});

export const setProgressCallable = defineCallable({
  name: "setProgress",
  schema: setProgressRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => setProgress(ctx, uid, data),
});

export const advanceEpisodeCallable = defineCallable({
  name: "advanceEpisode",
  schema: advanceEpisodeRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => advanceEpisode(ctx, uid, data),
});
