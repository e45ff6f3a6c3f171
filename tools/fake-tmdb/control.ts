/**
 * HTTP client for the fake TMDB server's `/__control/...` routes: the same interface as the
 * in-process handle returned by `startFakeTmdb`, for a server running in another process.
 */
import type { ExternalSource, FakeTmdbController, FakeTmdbStats, FaultRule, MovieSpec, RequestLogEntry, ShowSpec } from "./server";

export class FakeTmdbControl implements FakeTmdbController {
  private readonly origin: string;

  /** @param baseUrl the server's API url, e.g. "http://127.0.0.1:5199/3" (the "/3" part is optional) */
  constructor(baseUrl: string) {
    this.origin = new URL(baseUrl).origin;
  }

  private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.origin}/__control/${route}`, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const message = typeof parsed === "object" && parsed !== null && "error" in parsed ? String(parsed.error) : text;
      throw new Error(`fake-tmdb control ${method} ${route} failed (${res.status}): ${message}`);
    }
    return parsed as T;
  }

  private static withPrefix(route: string, prefix?: string): string {
    return prefix ? `${route}?prefix=${encodeURIComponent(prefix)}` : route;
  }

  stats(prefix?: string): Promise<FakeTmdbStats> {
    return this.call("GET", FakeTmdbControl.withPrefix("stats", prefix));
  }

  requests(prefix?: string): Promise<RequestLogEntry[]> {
    return this.call("GET", FakeTmdbControl.withPrefix("requests", prefix));
  }

  waitForRequest(prefix: string, timeoutMs = 60_000): Promise<RequestLogEntry> {
    return this.call("GET", `wait?prefix=${encodeURIComponent(prefix)}&timeoutMs=${timeoutMs}`);
  }

  async reset(): Promise<void> {
    await this.call("POST", "reset", {});
  }

  async setLatency(ms: number): Promise<void> {
    await this.call("POST", "latency", { ms });
  }

  async addFault(rule: FaultRule): Promise<void> {
    await this.call("POST", "faults", { rule });
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "faults");
  }

  async setShow(id: number, spec: ShowSpec | null): Promise<void> {
    await this.call("PUT", `shows/${id}`, { spec });
  }

  async setMovie(id: number, spec: MovieSpec | null): Promise<void> {
    await this.call("PUT", `movies/${id}`, { spec });
  }

  async setChanges(ids: number[]): Promise<void> {
    await this.call("PUT", "changes", { ids });
  }

  async setExternalId(source: ExternalSource, externalId: string, showId: number | null): Promise<void> {
    await this.call("PUT", "external-ids", { source, externalId, showId });
  }
}
