import { markMovieWatched } from "../library/movies";
import { markMovieWatchedRequestSchema } from "../library/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "markMovieWatched",
  schema: markMovieWatchedRequestSchema,
  handler: (ctx, uid, data) => markMovieWatched(ctx, uid, data),
});
