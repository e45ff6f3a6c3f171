import { primaryLanguage } from "./tags";

/**
 * TMDB answers an episode with no translation in the asked language with a generated name ("Episode 3",
 * "Épisode 3", "Folge 3", "第3集") or an empty one. Both mean "missing": the default-language name is
 * used instead (CONTRACT §11), so a placeholder is never shown.
 *
 * A name wrongly taken for a placeholder costs little (the default-language name is shown instead of a
 * real translation), whereas a placeholder taken for a name is shown to the user: the rules lean that way.
 */
const N = String.raw`(\d+)`;

/** TMDB's placeholder formats, per primary language subtag. */
const BY_LANGUAGE: Record<string, RegExp[]> = {
  en: [new RegExp(`^episode\\s*${N}$`, "iu")],
  fr: [new RegExp(`^[ée]pisode\\s*${N}$`, "iu")],
  de: [new RegExp(`^(?:folge|episode)\\s*${N}$`, "iu")],
  es: [new RegExp(`^(?:episodio|cap[íi]tulo)\\s*${N}$`, "iu")],
  it: [new RegExp(`^episodio\\s*${N}$`, "iu")],
  pt: [new RegExp(`^(?:epis[óo]dio|cap[íi]tulo)\\s*${N}$`, "iu")],
  nl: [new RegExp(`^aflevering\\s*${N}$`, "iu")],
  pl: [new RegExp(`^odcinek\\s*${N}$`, "iu")],
  ja: [new RegExp(`^(?:エピソード\\s*${N}|第\\s*${N}\\s*[話回])$`, "u")],
  zh: [new RegExp(`^(?:第\\s*${N}\\s*[集话話]|${N}\\s*集)$`, "u")],
  ko: [new RegExp(`^(?:에피소드\\s*${N}|${N}\\s*화|제\\s*${N}\\s*화)$`, "u")],
  ru: [new RegExp(`^(?:серия|эпизод|выпуск)\\s*${N}$`, "iu"), new RegExp(`^${N}\\s*серия$`, "iu")],
  uk: [new RegExp(`^(?:серія|епізод)\\s*${N}$`, "iu"), new RegExp(`^${N}\\s*серія$`, "iu")],
  tr: [new RegExp(`^(?:bölüm|b[öo]l[üu]m)\\s*${N}$`, "iu"), new RegExp(`^${N}\\.?\\s*bölüm$`, "iu")],
  sv: [new RegExp(`^(?:avsnitt|episod)\\s*${N}$`, "iu")],
  da: [new RegExp(`^(?:afsnit|episode)\\s*${N}$`, "iu")],
  nb: [new RegExp(`^(?:episode|del)\\s*${N}$`, "iu")],
  no: [new RegExp(`^(?:episode|del)\\s*${N}$`, "iu")],
  fi: [new RegExp(`^(?:jakso|episodi)\\s*${N}$`, "iu")],
  cs: [new RegExp(`^(?:epizoda|díl|dil)\\s*${N}$`, "iu")],
  sk: [new RegExp(`^(?:epizóda|diel)\\s*${N}$`, "iu")],
  hu: [new RegExp(`^(?:epizód|rész)\\s*${N}$`, "iu"), new RegExp(`^${N}\\.?\\s*(?:epizód|rész)$`, "iu")],
  ro: [new RegExp(`^(?:episodul|episod)\\s*${N}$`, "iu")],
  el: [new RegExp(`^επεισόδιο\\s*${N}$`, "iu")],
  he: [new RegExp(`^פרק\\s*${N}$`, "u")],
  ar: [new RegExp(`^(?:الحلقة|حلقة)\\s*${N}$`, "u")],
  vi: [new RegExp(`^tập\\s*${N}$`, "iu")],
  th: [new RegExp(`^ตอนที่\\s*${N}$`, "u")],
  id: [new RegExp(`^episode\\s*${N}$`, "iu")],
  ms: [new RegExp(`^episod\\s*${N}$`, "iu")],
  ca: [new RegExp(`^(?:episodi|capítol)\\s*${N}$`, "iu")],
  hr: [new RegExp(`^(?:epizoda|nastavak)\\s*${N}$`, "iu")],
  sr: [new RegExp(`^(?:епизода|epizoda)\\s*${N}$`, "iu")],
  bg: [new RegExp(`^(?:епизод|серия)\\s*${N}$`, "iu")],
  lt: [new RegExp(`^(?:epizodas|serija)\\s*${N}$`, "iu")],
  fa: [new RegExp(`^(?:قسمت|اپیزود)\\s*${N}$`, "u")],
  hi: [new RegExp(`^(?:एपिसोड|एपिसोड)\\s*${N}$`, "u")],
};

/** Whatever the language: TMDB falls back to the English format for languages it has no format for. */
const EVERY_LANGUAGE: RegExp[] = [BY_LANGUAGE.en[0]];

/**
 * The generic shape, for formats not listed above: at most two short words then the episode number
 * ("Capitolo 3", "Ep. 3", "#3", "3"), or the number then one short word ("3 화"). Only when the number is
 * the episode's own: "Part 2" as the name of episode 5 is a real title.
 */
const GENERIC_BEFORE = /^(?:[\p{L}\p{M}]{1,12}\.?\s*){0,2}(?:#|n[°º.]\s*|no\.\s*)?(\d+)\.?$/iu;
const GENERIC_AFTER = /^(\d+)\.?\s*[\p{L}\p{M}]{0,8}$/iu;

/**
 * Is `name` (TMDB's answer for `language`) a placeholder or empty? `episodeNumber`, when known, lets the
 * generic rule catch formats not in the table.
 */
export function isPlaceholderName(name: string | null | undefined, language: string, episodeNumber?: number): boolean {
  const text = (name ?? "").normalize("NFC").replace(/\s+/g, " ").trim();
  if (text === "") return true;
  const patterns = [...(BY_LANGUAGE[primaryLanguage(language)] ?? []), ...EVERY_LANGUAGE];
  if (patterns.some((pattern) => pattern.test(text))) return true;
  if (episodeNumber === undefined) return false;
  const generic = GENERIC_BEFORE.exec(text) ?? GENERIC_AFTER.exec(text);
  return generic !== null && Number(generic[1]) === episodeNumber;
}

/** A translated name worth showing, or null (a placeholder or nothing). */
export function realTranslation(name: string | null | undefined, language: string, episodeNumber?: number): string | null {
  return isPlaceholderName(name, language, episodeNumber) ? null : (name as string).trim();
}
