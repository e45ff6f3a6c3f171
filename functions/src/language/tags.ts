/**
 * The languages TMDB has translations for: its primary translations (`GET /configuration/primary_translations`,
 * the list TMDB's own site offers as content languages), kept here as a static list so validating a
 * preference costs no request. TMDB adds a tag rarely; update the list from that endpoint when it does.
 */
export const TMDB_PRIMARY_TRANSLATIONS: readonly string[] = [
  "af-ZA", "ar-AE", "ar-BH", "ar-EG", "ar-IQ", "ar-JO", "ar-LY", "ar-MA", "ar-QA", "ar-SA", "ar-TD", "ar-YE",
  "be-BY", "bg-BG", "bn-BD", "br-FR", "ca-AD", "ca-ES", "ch-GU", "cs-CZ", "cy-GB", "da-DK", "de-AT", "de-CH",
  "de-DE", "el-CY", "el-GR", "en-AG", "en-AU", "en-BB", "en-BZ", "en-CA", "en-CM", "en-GB", "en-GG", "en-GH",
  "en-GI", "en-GY", "en-IE", "en-JM", "en-KE", "en-LC", "en-MW", "en-NZ", "en-PG", "en-TC", "en-US", "en-ZM",
  "en-ZW", "eo-EO", "es-AR", "es-CL", "es-DO", "es-EC", "es-ES", "es-GQ", "es-GT", "es-HN", "es-MX", "es-NI",
  "es-PA", "es-PE", "es-PY", "es-SV", "es-UY", "et-EE", "eu-ES", "fa-IR", "fi-FI", "fr-BF", "fr-CA", "fr-CD",
  "fr-CI", "fr-FR", "fr-GF", "fr-GP", "fr-MC", "fr-ML", "fr-MU", "fr-PF", "ga-IE", "gd-GB", "gl-ES", "he-IL",
  "hi-IN", "hr-HR", "hu-HU", "id-ID", "it-IT", "it-VA", "ja-JP", "ka-GE", "kk-KZ", "kn-IN", "ko-KR", "ku-TR",
  "ky-KG", "lt-LT", "lv-LV", "ml-IN", "mr-IN", "ms-MY", "ms-SG", "nb-NO", "nl-BE", "nl-NL", "no-NO", "pa-IN",
  "pl-PL", "pt-AO", "pt-BR", "pt-MZ", "pt-PT", "ro-MD", "ro-RO", "ru-RU", "si-LK", "sk-SK", "sl-SI", "so-SO",
  "sq-AL", "sq-XK", "sr-ME", "sr-RS", "sv-SE", "sw-TZ", "ta-IN", "te-IN", "th-TH", "tl-PH", "tr-TR", "uk-UA",
  "ur-PK", "uz-UZ", "vi-VN", "zh-CN", "zh-HK", "zh-SG", "zh-TW", "zu-ZA",
];

/** The language of the season documents of CONTRACT §1 (TMDB's default), and every user's until they choose. */
export const DEFAULT_LANGUAGE = "en-US";
export const DEFAULT_TIME_ZONE = "UTC";

const byLowerCase = new Map(TMDB_PRIMARY_TRANSLATIONS.map((tag) => [tag.toLowerCase(), tag]));

/** A tag TMDB knows, in TMDB's spelling (`fr-fr` → `fr-FR`), or null. Bare languages (`fr`) are not TMDB tags. */
export function tmdbLanguageOf(tag: string): string | null {
  return byLowerCase.get(tag.trim().toLowerCase()) ?? null;
}

/** The primary language subtag (`fr` of `fr-CA`): placeholders are per language, not per region. */
export const primaryLanguage = (tag: string) => tag.split("-")[0].toLowerCase();
