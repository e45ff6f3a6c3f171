import { deleteAccountFor, TRIGGER_DELETION_BUDGET_MS } from "../households/requests";
import { defineUserDeletedTrigger } from "../triggers/userDeleted";

/** The Auth user's deletion deletes their data as `deleteAccount` does (CONTRACT §9); the queue takes what does not fit. */
export default defineUserDeletedTrigger({
  name: "onAccountDeleted",
  tmdb: false,
  handler: (ctx, uid) => deleteAccountFor(ctx, uid, TRIGGER_DELETION_BUDGET_MS),
  options: { timeoutSeconds: 120, memory: "512MB" },
});
