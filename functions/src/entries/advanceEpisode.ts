import { advanceEpisode } from "../progress/pointer";
import { advanceEpisodeRequestSchema } from "../progress/schemas";
import { defineCallable } from "../callables/defineCallable";

export default defineCallable({
  name: "advanceEpisode",
  schema: advanceEpisodeRequestSchema,
  profile: true,
  handler: (ctx, uid, data) => advanceEpisode(ctx, uid, data),
});
