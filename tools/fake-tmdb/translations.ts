/**
 * `language=` on the TV endpoints, as TMDB answers it: names in that language where a translation
 * exists, TMDB's generated placeholder ("Épisode 3", "Folge 3", "Episode 3") or an empty name where it
 * does not. Pure; applied to a reply body after it was built in the default language (en-US).
 *
 * Generated translations (a show without `translations[language]`), for the languages listed in
 * PLACEHOLDERS except English: the show is "<name> [<language>]"; episode e is "<English name> [<language>]",
 * except every 3rd episode (placeholder) and every 5th that is not a 3rd (empty name). Any other language
 * (e.g. "sw-TZ") has no translation at all: original show name, placeholders everywhere.
 */
import type { ShowSpec } from "./catalog";

/** TMDB's placeholder format per primary language (the English one for any other). */
export const PLACEHOLDERS: Record<string, (n: number) => string> = {
  en: (n) => `Episode ${n}`,
  fr: (n) => `Épisode ${n}`,
  de: (n) => `Folge ${n}`,
  es: (n) => `Episodio ${n}`,
  it: (n) => `Episodio ${n}`,
  pt: (n) => `Episódio ${n}`,
  nl: (n) => `Aflevering ${n}`,
  pl: (n) => `Odcinek ${n}`,
  ja: (n) => `第${n}話`,
  zh: (n) => `第${n}集`,
};

const primary = (language: string) => language.split("-")[0].toLowerCase();
export const placeholderFor = (language: string, episode: number) => (PLACEHOLDERS[primary(language)] ?? PLACEHOLDERS.en)(episode);

/** Is `language` TMDB's default (no translation applied)? */
export const isDefaultLanguage = (language: string | undefined) => !language || language === "en-US" || language === "en";

/** What the fake answers as the name of episode `episode` of `season` in `language`; `english` is its default name. */
export function translatedEpisodeName(show: ShowSpec, language: string, season: number, episode: number, english: string): string {
  const spec = show.translations?.[language];
  if (spec === null || (spec === undefined && (!(primary(language) in PLACEHOLDERS) || primary(language) === "en")))
    return placeholderFor(language, episode);
  const explicit = spec?.seasons?.[String(season)];
  if (explicit) {
    const name = explicit[episode - 1];
    return name === null || name === undefined ? placeholderFor(language, episode) : name;
  }
  if (spec?.seasons) return placeholderFor(language, episode);
  if (episode % 3 === 0) return placeholderFor(language, episode);
  if (episode % 5 === 0) return "";
  return `${english} [${language}]`;
}

export function translatedShowName(show: ShowSpec, language: string): string {
  const spec = show.translations?.[language];
  if (spec?.name !== undefined) return spec.name;
  if (spec === null || spec !== undefined) return show.name;
  return primary(language) in PLACEHOLDERS && primary(language) !== "en" ? `${show.name} [${language}]` : show.name;
}

type Json = Record<string, unknown>;

function translateEpisode(show: ShowSpec, language: string, episode: unknown): void {
  const e = episode as Json | null;
  if (!e || typeof e.episode_number !== "number" || typeof e.season_number !== "number" || typeof e.name !== "string") return;
  e.name = translatedEpisodeName(show, language, e.season_number, e.episode_number, e.name);
  if (typeof e.overview === "string") e.overview = "";
}

function translateSeason(show: ShowSpec, language: string, season: unknown): void {
  const s = season as Json | null;
  if (!s || !Array.isArray(s.episodes)) return;
  for (const episode of s.episodes) translateEpisode(show, language, episode);
}

/** Rewrites a `/tv/{id}`, `/tv/{id}/season/{n}` or `/tv/{id}/season/{n}/episode/{e}` body in place for `language`. */
export function translateTvBody(show: ShowSpec, language: string | undefined, body: unknown): void {
  if (isDefaultLanguage(language) || !body || typeof body !== "object") return;
  const lang = language as string;
  const b = body as Json;
  if (Array.isArray(b.seasons) && typeof b.name === "string") {
    b.name = translatedShowName(show, lang);
    translateEpisode(show, lang, b.next_episode_to_air);
    translateEpisode(show, lang, b.last_episode_to_air);
    for (const [key, value] of Object.entries(b)) if (/^season\/\d+$/.test(key)) translateSeason(show, lang, value);
    return;
  }
  if (Array.isArray(b.episodes)) return translateSeason(show, lang, b);
  translateEpisode(show, lang, b);
}
