/**
 * How long Cloud Tasks waits for a task-queue function to answer a delivery (`dispatchDeadlineSeconds`
 * of the Admin SDK's `enqueue`). A task that sets none gets the queue's default — 10 minutes in
 * production, 60 s in the Cloud Tasks emulator — and a run that outlives its delivery is delivered again
 * while it still runs, spending one of the queue's attempts each time. So every enqueue sets a deadline
 * past its function's timeout: the function is stopped (a real failure) before its delivery expires.
 */

/** Cloud Tasks accepts 15 s to 30 minutes. */
export const MAX_DISPATCH_DEADLINE_SECONDS = 1800;
/** Room for a cold start and the request's way in and out, on top of the function's own timeout. */
const DELIVERY_MARGIN_SECONDS = 60;

/** The dispatch deadline that covers a function whose timeout is `timeoutSeconds`. */
export const dispatchDeadlineFor = (timeoutSeconds: number): number =>
  Math.min(MAX_DISPATCH_DEADLINE_SECONDS, timeoutSeconds + DELIVERY_MARGIN_SECONDS);
