import { onRequest, type HttpsOptions } from "firebase-functions/v2/https";
import { appContextFromParams, type AppContext } from "../shared/app";
import type { HttpAnswer, HttpRequestInfo } from "../shared/http";
import { logHttpCrashed } from "./logs";
import { REGION, secretsFor } from "./common";

export interface HttpEndpointSpec {
  /** The exported function's name (its URL path). */
  name: string;
  /** A plain module's answer to the request; no Express types reach it. */
  handler: (ctx: AppContext, request: HttpRequestInfo) => Promise<HttpAnswer>;
  options?: Pick<HttpsOptions, "timeoutSeconds" | "memory" | "concurrency">;
  /** false for an endpoint that never calls TMDB: the credential is not bound. Default true. */
  tmdb?: boolean;
}

/**
 * The whole trigger layer of an HTTP endpoint: the request reduced to `HttpRequestInfo`, the answer sent
 * as given (`Cache-Control: no-store` unless the answer says otherwise; a string body as is, anything else
 * as JSON). Anything the handler throws is logged (redacted) and answered 500 without details.
 */
export function defineHttpEndpoint(spec: HttpEndpointSpec) {
  return onRequest({ region: REGION, secrets: secretsFor(spec.tmdb), ...spec.options }, async (req, res) => {
    const started = Date.now();
    let answer: HttpAnswer;
    try {
      answer = await spec.handler(appContextFromParams(), {
        method: req.method,
        path: req.path,
        contentType: req.get("content-type"),
        contentLength: req.get("content-length"),
        body: req.rawBody,
      });
    } catch (error) {
      logHttpCrashed({ name: spec.name, method: req.method, error, durationMs: Date.now() - started });
      res.status(500).set({ "Cache-Control": "no-store" }).json({ error: "internal" });
      return;
    }
    res.status(answer.status).set({ "Cache-Control": "no-store", ...answer.headers });
    if (typeof answer.body === "string") res.send(answer.body);
    else res.json(answer.body);
  });
}
