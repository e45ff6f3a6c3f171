/**
 * Live reads of the signed-in user's own documents (Firestore listeners; the rules let an owner, and a
 * household member, read `users/{id}/**`), as Preact hooks.
 */
import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { User } from "firebase/auth";
import { collection, doc, onSnapshot, query, type DocumentData, type DocumentReference, type Query } from "firebase/firestore";
import type { LibraryShow } from "@tvtracker/client";
import { errorText, type Backend } from "./firebase";

/**
 * What this page has asked of Firestore, for the bench (bench/web.ts reads `window.__tvtrackerStats`):
 * documents delivered by the server to listeners (billed reads; cache-only snapshots are not) and
 * callables called (getLibrary costs 2 reads on the server: the summary and a count).
 */
export const stats = { listenerReads: 0, calls: {} as Record<string, number> };
(globalThis as { __tvtrackerStats?: typeof stats }).__tvtrackerStats = stats;
export function countCall(name: string): void {
  stats.calls[name] = (stats.calls[name] ?? 0) + 1;
}

export interface Session {
  backend: Backend;
  user: User;
  /** Whose data the screens show and change: the user's uid, or a managed profile of their household (§9). */
  profileId: string;
  setProfileId(profileId: string): void;
}
export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in app");
  return session;
}

/** `profileId` for callables: absent for the user's own data (so it works before §9 is deployed too). */
export const profileArg = (session: Session): { profileId?: string } =>
  session.profileId === session.user.uid ? {} : { profileId: session.profileId };

export interface Live<T> {
  data: T | undefined;
  /** False until the first snapshot (or error). */
  ready: boolean;
  error: string | null;
}

/** A document, live. `path` null: nothing to listen to yet. */
export function useDocument<T = DocumentData>(path: string[] | null): Live<T | null> {
  const { backend } = useSession();
  const key = path?.join("/") ?? "";
  const [state, setState] = useState<Live<T | null>>({ data: undefined, ready: false, error: null });
  useEffect(() => {
    setState({ data: undefined, ready: false, error: null });
    if (!key) return undefined;
    const ref = doc(backend.db, key) as DocumentReference<T>;
    return onSnapshot(
      ref,
      (snap) => {
        if (!snap.metadata.fromCache) stats.listenerReads += 1;
        setState({ data: snap.exists() ? snap.data() : null, ready: true, error: null });
      },
      (error) => setState({ data: undefined, ready: true, error: errorText(error) }),
    );
  }, [backend, key]);
  return state;
}

/** A collection (or a query built from it), live, as `[id, data]` pairs. */
export function useCollection<T = DocumentData>(path: string[] | null, build?: (q: Query) => Query): Live<Array<[string, T]>> {
  const { backend } = useSession();
  const key = path?.join("/") ?? "";
  const buildRef = useRef(build);
  buildRef.current = build;
  const [state, setState] = useState<Live<Array<[string, T]>>>({ data: undefined, ready: false, error: null });
  useEffect(() => {
    setState({ data: undefined, ready: false, error: null });
    if (!key) return undefined;
    const base = query(collection(backend.db, key));
    return onSnapshot(
      buildRef.current ? buildRef.current(base) : base,
      (snap) => {
        // A query answering nothing is billed one read.
        if (!snap.metadata.fromCache) stats.listenerReads += Math.max(snap.docChanges().length, snap.empty ? 1 : 0);
        setState({ data: snap.docs.map((d) => [d.id, d.data() as T]), ready: true, error: null });
      },
      (error) => setState({ data: undefined, ready: true, error: errorText(error) }),
    );
  }, [backend, key]);
  return state;
}

/** One entry of `users/{id}/library/summary` `shows.{showId}` (functions/src/progress/librarySummary.ts). */
interface SummaryEntry {
  progress?: Omit<LibraryShow, "status">;
  status?: LibraryShow["status"];
  activity?: number;
  staleAt?: number;
  rev?: number;
}
interface SummaryDoc {
  shows?: Record<string, SummaryEntry>;
  /** A large library keeps the progress in `summary-1..shards` (0 or absent: all in this document). */
  shards?: number;
}
interface ShardDoc {
  shows?: Record<string, { progress?: SummaryEntry["progress"]; rev?: number }>;
}

/**
 * The summary's shard documents (`users/{id}/library/summary-{k}`, k = 1..count), live, merged by show id.
 * A shard entry is valid while its `rev` is the index's (the caller checks).
 */
function useSummaryShards(
  profileId: string,
  count: number,
): { merged: Map<string, { progress?: SummaryEntry["progress"]; rev?: number }>; ready: boolean } {
  const { backend } = useSession();
  const [shards, setShards] = useState<Array<ShardDoc["shows"]>>([]);
  useEffect(() => {
    setShards([]);
    if (count <= 0) return undefined;
    const stops = Array.from({ length: count }, (_, i) =>
      onSnapshot(doc(backend.db, "users", profileId, "library", `summary-${i + 1}`), (snap) => {
        if (!snap.metadata.fromCache) stats.listenerReads += 1;
        const shows = (snap.data() as ShardDoc | undefined)?.shows;
        setShards((list) => {
          const next = [...list];
          next[i] = shows ?? {};
          return next;
        });
      }),
    );
    return () => stops.forEach((stop) => stop());
  }, [backend, profileId, count]);
  const merged = new Map<string, { progress?: SummaryEntry["progress"]; rev?: number }>();
  for (const shows of shards) for (const [id, entry] of Object.entries(shows ?? {})) merged.set(id, entry);
  const ready = Array.from({ length: Math.max(count, 0) }, (_, i) => shards[i] !== undefined).every(Boolean);
  return { merged, ready };
}

export interface LibraryView {
  shows: LibraryShow[];
  ready: boolean;
  /** Some entries are being recomputed by `getLibrary`. */
  refreshing: boolean;
  error: string | null;
}

const servable = (entry: SummaryEntry, now: number) =>
  entry.progress !== undefined && entry.status !== undefined && typeof entry.staleAt === "number" && entry.staleAt > now;

/**
 * The library, live from the summary document (one read, then only changes). Entries a tracking write
 * marked stale (or whose data expired) are recomputed by one `getLibrary` call, which also writes them back
 * to the summary; until it answers, the stale entry shows as it was.
 */
export function useLibrary(): LibraryView {
  const session = useSession();
  const summary = useDocument<SummaryDoc>(["users", session.profileId, "library", "summary"]);
  const [fresh, setFresh] = useState<Map<number, LibraryShow>>(new Map());
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef("");

  // Sharded (past ~1,500 shows): the index holds each show's head, its shard the progress of the same rev.
  const shards = useSummaryShards(session.profileId, summary.data?.shards ?? 0);
  const entries = Object.entries(summary.data?.shows ?? {}).map(([id, entry]): [string, SummaryEntry] => {
    const shard = shards.merged.get(id);
    return entry.progress === undefined && shard?.progress && shard.rev === entry.rev
      ? [id, { ...entry, progress: shard.progress }]
      : [id, entry];
  });
  const now = Date.now();
  const stale = entries.filter(([, entry]) => !servable(entry, now));
  const staleKey = stale.map(([id, entry]) => `${id}@${entry.rev ?? 0}`).join(",");
  // No summary yet (a new user, or data written before it existed): getLibrary builds it.
  const needsCall = summary.ready && shards.ready && !summary.error && (summary.data === null || stale.length > 0);
  const callKey = `${session.profileId}|${summary.data === null ? "none" : staleKey}`;

  useEffect(() => {
    if (!needsCall || asked.current === callKey) return;
    asked.current = callKey;
    setRefreshing(true);
    let live = true;
    void session.backend
      .api()
      .then((api) => {
        countCall("getLibrary");
        return api.getLibrary({ includeHidden: true, ...profileArg(session) });
      })
      .then(
        ({ shows }) => {
          if (!live) return;
          setFresh(new Map(shows.map((show) => [show.showId, show])));
          setError(null);
        },
        (e: unknown) => live && setError(errorText(e)),
      )
      .finally(() => live && setRefreshing(false));
    return () => {
      live = false;
    };
  }, [needsCall, callKey, session]);

  const shows: Array<{ show: LibraryShow; activity: number }> = [];
  for (const [id, entry] of entries) {
    const showId = Number(id);
    const recomputed = fresh.get(showId);
    if (servable(entry, now) || (!recomputed && entry.progress && entry.status)) {
      shows.push({
        show: { ...(entry.progress as LibraryShow), status: entry.status as LibraryShow["status"] },
        activity: entry.activity ?? 0,
      });
    } else if (recomputed) {
      shows.push({ show: recomputed, activity: Date.parse(recomputed.lastWatchedAt ?? "") || 0 });
    }
  }
  if (summary.data === null) for (const show of fresh.values()) shows.push({ show, activity: Date.parse(show.lastWatchedAt ?? "") || 0 });
  shows.sort((a, b) => b.activity - a.activity || a.show.showId - b.show.showId);
  return {
    shows: shows.map((s) => s.show),
    // A user with no summary yet (new, or tracked before summaries existed) sees the empty state at once;
    // shows getLibrary finds appear when it answers.
    ready: summary.ready && shards.ready,
    refreshing,
    error: summary.error ?? error,
  };
}

export interface HouseholdProfile {
  profileId: string;
  name: string;
  kind: "account" | "managed";
}
export interface HouseholdView {
  householdId: string | null;
  name: string | null;
  role: "owner" | "member" | null;
  profiles: HouseholdProfile[];
  members: Array<{ uid: string; role: "owner" | "member" }>;
  ready: boolean;
}

/**
 * The user's household (§9), live: `household_memberships/{uid}` (the member's pointer, one read), then the
 * household, its members and its profiles (readable by members).
 */
export function useHousehold(): HouseholdView {
  const { user } = useSession();
  const membership = useDocument<{ householdId: string; role: "owner" | "member" }>(["household_memberships", user.uid]);
  const householdId = membership.data?.householdId ?? null;
  const household = useDocument<{ name: string }>(householdId ? ["households", householdId] : null);
  const profiles = useCollection<{ name: string; kind: "account" | "managed" }>(
    householdId ? ["households", householdId, "profiles"] : null,
  );
  const members = useCollection<{ role: "owner" | "member" }>(householdId ? ["households", householdId, "members"] : null);
  return {
    householdId,
    name: household.data?.name ?? null,
    role: membership.data?.role ?? null,
    profiles: (profiles.data ?? []).map(([profileId, p]) => ({ profileId, name: p.name, kind: p.kind })),
    members: (members.data ?? []).map(([uid, m]) => ({ uid, role: m.role })),
    ready: membership.ready && (!householdId || profiles.ready),
  };
}
