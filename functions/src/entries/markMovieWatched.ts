import { markMovieWatched } from "../library/movies";
import { markMovieWatchedRequestSchema } from "../library/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "markMovieWatched",
  schema: markMovieWatchedRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => markMovieWatched(ctx, uid, data),
});
