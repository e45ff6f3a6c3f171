import { projectId } from "./admin";

const offset = () => Number(process.env.EMULATOR_PORT_OFFSET ?? 0);

/**
 * Delivers a task to a task-queue function in the Functions emulator exactly as Cloud Tasks delivers one
 * (POST `{ data }` to the function's URL with the `X-CloudTasks-*` headers), and resolves once the
 * function has answered. A chaos test uses it to deliver the retry of a task whose worker it killed
 * itself, instead of waiting out the queue's backoff (minBackoffSeconds): Cloud Tasks' delivery is
 * at-least-once, so the queue's own retry arriving later too is one more duplicate the function must
 * (and does) shrug off.
 */
export async function deliverTask(
  functionName: string,
  data: unknown,
  options: { taskName: string; retryCount: number; region?: string },
): Promise<void> {
  const url = `http://127.0.0.1:${5001 + offset()}/${projectId()}/${options.region ?? "us-central1"}/${functionName}`;
  // Right after a kill, the emulator may still hand the request to the dead worker (ECONNRESET, answered 500):
  // that delivery failed before the function ran, and Cloud Tasks retries a failed delivery, so this does too.
  for (let delivery = 1; ; delivery++) {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-CloudTasks-QueueName": functionName,
        "X-CloudTasks-TaskName": options.taskName,
        "X-CloudTasks-TaskRetryCount": String(options.retryCount),
        "X-CloudTasks-TaskExecutionCount": String(options.retryCount),
      },
      body: JSON.stringify({ data }),
    });
    if (response.ok) return;
    const body = await response.text();
    // ECONNRESET or EPIPE (Node 24 reports a write to the dead worker's socket as EPIPE).
    const deadWorker = body.includes("ECONNRESET") || body.includes("EPIPE");
    if (!(response.status === 500 && deadWorker && delivery < 5))
      throw new Error(`${functionName} answered the task with ${response.status}: ${body}`);
  }
}
