import { metered } from "../shared/app";
import { getMessages } from "../social/messages";
import { getMessagesRequestSchema } from "../social/schemas";
import { defineCallable } from "../callables/defineCallable";

/**
 * Shared items' details come from the cache as it is; their names are the reader's language, through
 * the global names cache: a language's names not cached yet cost one TMDB request per show, once for all
 * its readers, hence the TMDB secret.
 */
export default defineCallable({
  name: "getMessages",
  schema: getMessagesRequestSchema,
  handler: (ctx, uid, data) => getMessages(metered(ctx), uid, data),
});
