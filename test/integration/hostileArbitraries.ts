import fc from "fast-check";

/**
 * Adversarial callable payloads for fast-check. Three families: wholly wrong payloads, objects of
 * contract field names bound to hostile values, and valid-looking payloads (sampled from the
 * callable's own JSON schema) with one or two fields swapped for something hostile — the last
 * family reaches the handlers, where a crash would hide.
 */

export const VICTIM_UID = `victim-${Math.random().toString(36).slice(2, 8)}`;
export const TEN_MB = "x".repeat(10 * 1024 * 1024);

/** Own `__proto__` / `constructor` keys, as JSON decoding of a request body produces them. */
const polluted = () =>
  JSON.parse('{"__proto__":{"polluted":true,"showId":1},"constructor":{"prototype":{"polluted":true}},"showId":1}') as unknown;

function deeplyNested(depth: number, asArray: boolean): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { showId: value };
  return value;
}
const DEEP_OBJECT = deeplyNested(5000, false);
const DEEP_ARRAY = deeplyNested(5000, true);
const BIG_ARRAY_OF_NUMBERS = Array.from({ length: 1001 }, (_, i) => i + 1);
const BIG_ARRAY_OF_ITEMS = Array.from({ length: 1001 }, (_, i) => traktItem(i + 1, 1 + (i % 20), 1));

function traktItem(id: number | string, showId: unknown, episode: unknown): Record<string, unknown> {
  return {
    id,
    watched_at: "2024-03-01T20:00:00.000Z",
    action: "watch",
    type: "episode",
    episode: { season: 1, number: episode, ids: { tmdb: null } },
    show: { title: "Show", ids: { tmdb: showId } },
  };
}

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    -1,
    0,
    0.5,
    1.5,
    -1.5,
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    1e21,
    -2147483649,
  ),
  fc.double(),
  fc.integer({ min: -5, max: 5 }),
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "/",
    "a/b",
    ".",
    "..",
    "../..",
    `../${VICTIM_UID}`,
    `users/${VICTIM_UID}/episode_tracking/1`,
    "__proto__",
    "constructor",
    "__name__",
    "__.*__",
    "1399",
    "-1",
    "1.5",
    "NaN",
    "1e400",
    "18446744073709551616",
    "\u0000",
    "😀",
    "2024-13-45T25:61:61Z",
    "title,season,episode,watched_at\n",
  ),
  fc.string({ maxLength: 30 }),
  fc.constant("y".repeat(100_000)),
);

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileNumber },
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false, 10n ** 30n, -1n) },
  { weight: 1, arbitrary: fc.constantFrom(DEEP_OBJECT, DEEP_ARRAY, BIG_ARRAY_OF_NUMBERS, BIG_ARRAY_OF_ITEMS) },
  { weight: 1, arbitrary: fc.constant(null).map(polluted) },
);

/** Field names of the contract (and of Trakt items), plus the ones an attacker would try. */
export const CONTRACT_FIELDS = [
  "showId",
  "movieId",
  "season",
  "episode",
  "target",
  "type",
  "episodes",
  "includeSpecials",
  "watched",
  "watchedAt",
  "items",
  "id",
  "watched_at",
  "action",
  "show",
  "ids",
  "tmdb",
  "tvdb",
  "imdb",
  "title",
  "number",
  "csv",
  "pageToken",
  "limit",
  "media",
  "positionSeconds",
  "durationSeconds",
];
const ATTACK_FIELDS = ["uid", "userId", "__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];

/** An object whose keys are defined as own properties, even `__proto__`. */
function ownObject(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

function hostileValue(fields: string[]): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 6, arbitrary: hostileLeaf },
      { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
      {
        weight: 2,
        arbitrary: fc.array(fc.tuple(fc.constantFrom(...fields, ...ATTACK_FIELDS), tie("value")), { maxLength: 4 }).map(ownObject),
      },
    ),
  }));
  return value;
}

/** A JSON Schema, as `z.toJSONSchema` writes it (only what the sampler reads). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minItems?: number;
}

/** Valid-looking values for fields the JSON schema cannot describe (e.g. `syncHistory.items`). */
function fieldHint(name: string, idBase: number): fc.Arbitrary<unknown> | undefined {
  const show = fc.integer({ min: idBase, max: idBase + 20 });
  if (name === "items") {
    const id = fc.oneof(fc.integer({ min: 1, max: 1e9 }), fc.constantFrom("18446744073709551615", "9007199254740993"));
    return fc.array(
      fc.tuple(id, show).map(([traktId, showId]) => traktItem(traktId, showId, 1)),
      { maxLength: 3 },
    );
  }
  if (name === "csv") {
    return show.chain((showId) =>
      fc.constantFrom(
        `title,season,episode,watched_at\nShow ${showId},1,1,2024-03-01T20:00:00Z\n`,
        `title,season,episode,watched_at,tmdb_id\nX,1,2,2024-03-01T20:00:00Z,${showId}\n`,
      ),
    );
  }
  // CONTRACT §9: absent, the caller's own data. Any other id would be a profile the caller may not act on
  // (permission-denied before the callable's work), which says nothing about the work itself.
  if (name === "profileId" || name === "profileIds") return fc.constant(undefined);
  // CONTRACT §11: a TMDB language tag and an IANA zone (any other string is rightly refused).
  if (name === "language") return fc.constantFrom("fr-FR", "pt-BR", "en-US");
  if (name === "timeZone") return fc.constantFrom("Europe/Paris", "America/New_York", "UTC");
  return undefined;
}

export interface ValidLookingOptions {
  /** Ids (integers that may exceed a million) are drawn from idBase..idBase+20: shows the fake TMDB knows. */
  idBase?: number;
}

/** Valid-looking values from a JSON schema: small ids (shows the fake TMDB knows), first enum members, real dates. */
export function validLooking(schema: JsonSchema, options: ValidLookingOptions = {}, name = ""): fc.Arbitrary<unknown> {
  const idBase = options.idBase ?? 1;
  const hint = fieldHint(name, idBase);
  if (hint && (!schema.type || schema.type === "array" || schema.type === "string") && !schema.enum) return hint;
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches?.length) return fc.oneof(...branches.map((branch) => validLooking(branch, options, name)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const entries = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      return fc.record(Object.fromEntries(entries.map(([key, sub]) => [key, validLooking(sub, options, key)])), {
        requiredKeys: entries.map(([key]) => key).filter((key) => required.has(key)),
      });
    }
    case "array":
      return fc.array(validLooking(schema.items ?? {}, options, name), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, 3),
      });
    case "integer":
    case "number": {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
      const isId = type === "integer" && min <= 1 && (schema.maximum ?? Infinity) >= 1_000_000;
      const low = isId ? Math.max(min, idBase) : min;
      return fc.integer({ min: low, max: Math.min(schema.maximum ?? low + 20, low + 20) });
    }
    case "boolean":
      return fc.boolean();
    case "string":
      if (schema.format === "date-time") return fc.constantFrom("2024-03-01T20:00:00Z", "2024-03-01T20:00:00.123+02:00");
      if (schema.format === "date") return fc.constantFrom("2024-03-01", "2026-12-31");
      return fc.string({ maxLength: 12 });
    default:
      return hostileLeaf;
  }
}

/** Every property name a JSON schema mentions, at any depth. */
export function schemaFieldNames(schema: JsonSchema, out = new Set<string>()): Set<string> {
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    out.add(key);
    schemaFieldNames(sub, out);
  }
  for (const sub of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.items ? [schema.items] : [])]) schemaFieldNames(sub, out);
  return out;
}

type Path = (string | number)[];

/** Replaces (or adds) the value at `path`, copying every object on the way so nothing is shared between runs. */
function setAt(target: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(target) && typeof head === "number" && target.length > 0) {
    const copy = [...target];
    copy[head % copy.length] = setAt(copy[head % copy.length], rest, value);
    return copy;
  }
  const base = target !== null && typeof target === "object" && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
  const key = String(head);
  return ownObject([...Object.entries(base).filter(([k]) => k !== key), [key, setAt(base[key], rest, value)]]);
}

/** Paths into a value, so a mutation lands on an existing field as often as on a new one. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = [], depth = 0): Path[] {
  if (depth > 6 || value === null || typeof value !== "object") return out;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    pathsOf(child, path, out, depth + 1);
  }
  return out;
}

/** All three families for one callable, given its payload JSON schema. */
export function hostilePayload(schema: JsonSchema): fc.Arbitrary<unknown> {
  const fields = [...new Set([...schemaFieldNames(schema), ...CONTRACT_FIELDS])];
  const value = hostileValue(fields);
  const wrongPayload = fc.oneof(hostileLeaf, fc.array(value, { maxLength: 3 }));
  const fieldSoup = fc.array(fc.tuple(fc.constantFrom(...fields, ...ATTACK_FIELDS), value), { maxLength: 6 }).map(ownObject);
  // Mostly onto an existing field (the payload then is invalid), sometimes a new key (often still valid: extra keys are dropped).
  const mutation = fc.tuple(
    fc.nat(),
    fc.constantFrom(...fields, ...ATTACK_FIELDS),
    value,
    fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
  );
  const mutated = fc.tuple(validLooking(schema), fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([base, mutations]) => {
    let payload = base;
    for (const [pick, extraKey, replacement, deep] of mutations) {
      const paths = pathsOf(payload);
      const path = deep && paths.length > 0 ? paths[pick % paths.length] : [extraKey];
      payload = setAt(payload, path, replacement);
    }
    return payload;
  });
  // uid/userId naming another user must change nothing for that user, valid payload or not.
  const impersonating = validLooking(schema).map((base) => setAt(setAt(base, ["uid"], VICTIM_UID), ["userId"], VICTIM_UID));
  return fc.oneof(
    { weight: 1, arbitrary: wrongPayload },
    { weight: 3, arbitrary: fieldSoup },
    { weight: 5, arbitrary: mutated },
    { weight: 1, arbitrary: impersonating },
  );
}
