import { REGION, TMDB_API_KEY } from "../shared/config";

/**
 * What every trigger kind shares: the one region, and the TMDB credential bound only to functions that
 * call TMDB (`tmdb: false` leaves it out of the function's environment). App Check is the callable's
 * (see defineCallable); error mapping and structured logs are each helper's, through `./logs`.
 */
export { REGION };

export const secretsFor = (tmdb: boolean | undefined) => (tmdb === false ? [] : [TMDB_API_KEY]);
