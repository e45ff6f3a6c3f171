/**
 * An HTTP request and answer as the HTTP endpoints' plain modules see them (no Express types): the
 * trigger helper (triggers/http.ts) builds the one and sends the other.
 */
export interface HttpRequestInfo {
  method: string;
  /** The path after the function's name, e.g. `/{secret}`. */
  path: string;
  contentType?: string;
  /** The declared `Content-Length`, checked before the body is looked at. */
  contentLength?: string;
  body?: Buffer;
}

/** A string body is sent as is (its `Content-Type` in `headers`); anything else as JSON. */
export interface HttpAnswer<B extends string | object = string | object> {
  status: number;
  headers?: Record<string, string>;
  body: B;
}
