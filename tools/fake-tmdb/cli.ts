/**
 * Standalone fake TMDB server:
 *   tsx tools/fake-tmdb/cli.ts [--port 5199] [--latency 40] [--rate-limit 40] [--api-key K] [--read-token T] [--today YYYY-MM-DD]
 * Prints exactly one line to stdout when ready: "fake-tmdb listening on http://127.0.0.1:<port>/3".
 * Exits cleanly on SIGTERM/SIGINT.
 */
import { startFakeTmdb, type FakeTmdbOptions } from "./server";

function parseArgs(argv: string[]): FakeTmdbOptions {
  const opts: FakeTmdbOptions = { port: 5199 };
  const int = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} expects a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--port":
        opts.port = int(flag, value());
        break;
      case "--latency":
        opts.latencyMs = int(flag, value());
        break;
      case "--rate-limit":
        opts.rateLimitPerSecond = int(flag, value());
        break;
      case "--api-key":
        opts.apiKey = value();
        break;
      case "--read-token":
        opts.readToken = value();
        break;
      case "--today":
        opts.today = value();
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const server = await startFakeTmdb(parseArgs(process.argv.slice(2)));
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdout.write(`fake-tmdb listening on ${server.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`fake-tmdb: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
