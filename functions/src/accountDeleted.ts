import * as functionsV1 from "firebase-functions/v1";
import { appContextFromParams } from "./app";
import { deleteAccountData } from "./households/accountDeletion";
import { cloudTasksDeletionQueue } from "./households/deletionQueue";

/**
 * The Auth user's deletion deletes their data as `deleteAccount` does (CONTRACT §9). A v1 trigger:
 * firebase-functions v2 has no Auth onDelete. It runs what fits its budget and queues the rest.
 */
export const onAccountDeleted = functionsV1
  .region("us-central1")
  .runWith({ timeoutSeconds: 120, memory: "512MB" })
  .auth.user()
  .onDelete(async (user) => {
    await deleteAccountData(appContextFromParams(), user.uid, { queue: cloudTasksDeletionQueue(), budgetMs: 60_000 });
  });
