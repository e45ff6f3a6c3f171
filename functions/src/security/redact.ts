import { tmdbCredential } from "../shared/config";

export const REDACTED = "[REDACTED]";

/** Credentials shaped so they are recognisable wherever they end up: URL query, header, bare JWT. */
const CREDENTIAL_PATTERNS: readonly [RegExp, string][] = [
  [/(api_key=)[^&\s"'<>]+/gi, `$1${REDACTED}`],
  [/(bearer\s+)[\w.~+/-]+=*/gi, `$1${REDACTED}`],
  [/eyJ[\w-]*\.[\w-]+\.[\w-]+/g, REDACTED],
];

/** The secrets this instance knows (see `tmdbCredential` for how they are read). */
export function knownSecrets(): string[] {
  const key = tmdbCredential();
  // Very short values would redact innocent text; real TMDB credentials are 32+ characters.
  return key && key.length >= 8 ? [key] : [];
}

/** A safety net for anything that leaves the process: the credential never reaches a log or a client. */
export function redactSecrets(text: string, secrets: readonly string[] = knownSecrets()): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** `redactSecrets` over every string of a JSON-like value (error details). */
export function redactDeep<T>(value: T, secrets: readonly string[] = knownSecrets(), depth = 0): T {
  if (typeof value === "string") return redactSecrets(value, secrets) as T;
  if (depth > 20 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[redactSecrets(key, secrets)] = redactDeep(item, secrets, depth + 1);
  return out as T;
}
