import { readdirSync, readFileSync } from "node:fs";
import { projectId } from "./admin";

/**
 * The Functions emulator runs each function in worker processes whose environment names the function
 * (`FUNCTION_TARGET`) and the project (`GCLOUD_PROJECT`): found through /proc, so a chaos test can kill
 * the worker that is serving a call, as a crashed or preempted Cloud Functions instance would die.
 */
export function functionWorkerPids(functionName: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, "latin1");
    } catch {
      continue; // gone, or not ours to read
    }
    const vars = environ.split("\0");
    if (vars.includes(`FUNCTION_TARGET=${functionName}`) && vars.includes(`GCLOUD_PROJECT=${projectId()}`)) pids.push(Number(entry));
  }
  return pids;
}

/** SIGKILLs every worker of `functionName` (no cleanup runs, as in a real crash); returns how many. */
export function killFunctionWorkers(functionName: string): number {
  const pids = functionWorkerPids(functionName);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already exited
    }
  }
  return pids.length;
}
