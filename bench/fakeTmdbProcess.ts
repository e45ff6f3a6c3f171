import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { FakeTmdbControl } from "../tools/fake-tmdb/control";

export interface FakeTmdbProcess {
  url: string;
  control: FakeTmdbControl;
  /** Resident memory of the fake's own process is never counted as the functions' memory. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * The bench's own fake TMDB (not the harness one), with TMDB's latency and rate limit. It runs in a
 * child process so that building big TMDB responses (the 10,000-episode soap) neither counts toward
 * the memory of the process hosting the function logic nor competes with it for its event loop.
 */
export function startFakeTmdbProcess(root: string, options: { latencyMs: number; rateLimitPerSecond: number }): Promise<FakeTmdbProcess> {
  const args = [
    join(root, "node_modules/tsx/dist/cli.mjs"),
    join(root, "tools/fake-tmdb/cli.ts"),
    "--port=0",
    `--latency=${options.latencyMs}`,
    `--rate-limit=${options.rateLimitPerSecond}`,
  ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench fake TMDB exited early (code ${code})`));
    child.once("exit", onExit);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (!match) return;
      child.off("exit", onExit);
      resolve({
        url: match[1],
        control: new FakeTmdbControl(match[1]),
        pid: child.pid as number,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
