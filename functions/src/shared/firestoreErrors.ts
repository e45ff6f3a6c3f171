/**
 * Firestore's gRPC status codes the backend reacts to, and the one question most callers ask of them.
 * Every module that catches a Firestore error imports these instead of restating the numbers.
 */
export const UNKNOWN = 2;
export const NOT_FOUND = 5;
export const ALREADY_EXISTS = 6;
export const FAILED_PRECONDITION = 9;

/** The status code of a Firestore error (undefined for anything else). */
export const firestoreCode = (error: unknown): unknown => (error as { code?: unknown } | null | undefined)?.code;

export const isNotFound = (error: unknown) => firestoreCode(error) === NOT_FOUND;
export const isAlreadyExists = (error: unknown) => firestoreCode(error) === ALREADY_EXISTS;
/** A write preconditioned on a document's version (`lastUpdateTime`) found a newer one. */
export const isFailedPrecondition = (error: unknown) => firestoreCode(error) === FAILED_PRECONDITION;

/**
 * A create/update/delete conditioned on a document's existence or version failed because somebody
 * else wrote it first (a concurrent request, a duplicate task).
 */
export const lostRace = (error: unknown) => isAlreadyExists(error) || isFailedPrecondition(error) || isNotFound(error);

/**
 * A commit whose outcome the server did not say (gRPC UNKNOWN): it may or may not have been applied.
 * The Firestore emulator answers this to conflicting preconditioned commits under contention; callers
 * that can tell by re-reading (the cache's lock writes) do so instead of failing the request.
 */
export const isUnknownOutcome = (error: unknown) => firestoreCode(error) === UNKNOWN;
