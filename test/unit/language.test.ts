import { airedThrough, airInstant, airZone, dayIn } from "../../functions/src/language/airTime";
import { isPlaceholderName, realTranslation } from "../../functions/src/language/placeholders";
import { tmdbLanguageOf } from "../../functions/src/language/tags";
import { canonicalTimeZone } from "../../functions/src/language/zones";

describe("placeholders", () => {
  it.each([
    ["Episode 3", "en-US", 3],
    ["Épisode 3", "fr-FR", 3],
    ["Episode 12", "fr-FR", 12],
    ["Folge 3", "de-DE", 3],
    ["Episodio 7", "es-ES", 7],
    ["Episodio 7", "it-IT", 7],
    ["Episódio 7", "pt-BR", 7],
    ["Aflevering 2", "nl-NL", 2],
    ["Odcinek 2", "pl-PL", 2],
    ["エピソード2", "ja-JP", 2],
    ["第2話", "ja-JP", 2],
    ["第2集", "zh-CN", 2],
    ["2화", "ko-KR", 2],
    ["Серия 4", "ru-RU", 4],
    ["Bölüm 4", "tr-TR", 4],
    ["Avsnitt 4", "sv-SE", 4],
    ["Jakso 4", "fi-FI", 4],
    ["Epizoda 4", "cs-CZ", 4],
    ["Tập 4", "vi-VN", 4],
    // Formats not in the table: the generic shape with the episode's own number.
    ["Capitolo 4", "it-IT", 4],
    ["Ep. 4", "da-DK", 4],
    ["#4", "he-IL", 4],
    ["4", "ar-SA", 4],
    ["", "fr-FR", 1],
    ["   ", "fr-FR", 1],
  ])("%j in %s (episode %d) is a placeholder", (name, language, episode) => {
    expect(isPlaceholderName(name, language, episode)).toBe(true);
    expect(realTranslation(name, language, episode)).toBeNull();
  });

  it.each([
    ["Pilote", "fr-FR", 1],
    ["Le final", "fr-FR", 5],
    ["Part 2", "en-US", 5],
    ["1984", "fr-FR", 3],
    ["L'Épisode du siècle", "fr-FR", 3],
    ["Chapter One: The Vanishing of Will Byers", "en-US", 1],
    ["24 heures chrono", "fr-FR", 24],
  ])("%j in %s (episode %d) is a real name", (name, language, episode) => {
    expect(isPlaceholderName(name, language, episode)).toBe(false);
    expect(realTranslation(name, language, episode)).toBe(name);
  });
});

describe("language tags and time zones", () => {
  it("knows TMDB's tags in TMDB's spelling, and IANA zones", () => {
    expect(tmdbLanguageOf("fr-fr")).toBe("fr-FR");
    expect(tmdbLanguageOf("pt-BR")).toBe("pt-BR");
    expect(tmdbLanguageOf("fr")).toBeNull();
    expect(tmdbLanguageOf("xx-XX")).toBeNull();
    expect(canonicalTimeZone("europe/paris")).toBe("Europe/Paris");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    expect(canonicalTimeZone("Mars/Olympus")).toBeNull();
    expect(canonicalTimeZone("+01:00")).toBeNull();
  });
});

describe("the clock", () => {
  it("takes the zone of the most populous city of the show's first known origin country", () => {
    expect(airZone(["US"])).toBe("America/New_York");
    expect(airZone(["CA"])).toBe("America/Toronto");
    expect(airZone(["AU"])).toBe("Australia/Sydney");
    expect(airZone(["BR"])).toBe("America/Sao_Paulo");
    expect(airZone(["GB"])).toBe("Europe/London");
    expect(airZone(["fr"])).toBe("Europe/Paris");
    expect(airZone(["JP", "US"])).toBe("Asia/Tokyo");
    expect(airZone(["XX", "DE"])).toBe("Europe/Berlin");
    expect(airZone([])).toBeNull();
    expect(airZone(undefined)).toBeNull();
  });

  it("airs at 20:00 local, DST included; without a zone at the UTC day's start", () => {
    expect(airInstant("2026-01-15", "America/New_York")?.toISOString()).toBe("2026-01-16T01:00:00.000Z");
    expect(airInstant("2026-07-15", "America/New_York")?.toISOString()).toBe("2026-07-16T00:00:00.000Z");
    expect(airInstant("2026-07-15", "Europe/Paris")?.toISOString()).toBe("2026-07-15T18:00:00.000Z");
    expect(airInstant("2026-07-15", null)?.toISOString()).toBe("2026-07-15T00:00:00.000Z");
    expect(airInstant(null, "Europe/Paris")).toBeNull();
  });

  it("says through which air date episodes have aired, around the show's 20:00", () => {
    // New York, January: 20:00 EST = 01:00 UTC the next day.
    expect(airedThrough(new Date("2026-01-16T00:59:00Z"), "America/New_York")).toBe("2026-01-14");
    expect(airedThrough(new Date("2026-01-16T01:00:00Z"), "America/New_York")).toBe("2026-01-15");
    expect(airedThrough(new Date("2026-01-16T00:59:00Z"), null)).toBe("2026-01-16");
    // A user east (Tokyo) and west (Los Angeles) see that instant on their own days.
    const aired = airInstant("2026-01-15", "America/New_York") as Date;
    expect(dayIn(aired, "Asia/Tokyo")).toBe("2026-01-16");
    expect(dayIn(aired, "America/Los_Angeles")).toBe("2026-01-15");
  });
});
