/**
 * Timestamps as export files write them (docs/API.md: imports). TV Time writes `YYYY-MM-DD HH:MM:SS`, with or
 * without ` +0000 UTC`: UTC either way. A date with no time is 12:00 UTC that day, so it stays on the
 * same calendar day in every time zone from UTC−11 to UTC+11 (midnight would shift it a day west of
 * Greenwich). ISO-8601 with an offset (Trakt, newer TV Time files) is taken as written.
 */
const TV_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(?:Z|\+0000 UTC|\+00:?00|UTC)?$/i;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export function parseExportTime(raw: string | null | undefined): Date | null {
  const value = (raw ?? "").trim();
  if (value === "") return null;
  const match = TV_TIME.exec(value);
  if (match) {
    const [, y, mo, d, h, mi, s = "00", fraction = ""] = match;
    const hours = h === undefined ? 12 : Number(h);
    const minutes = mi === undefined ? 0 : Number(mi);
    if (hours > 23 || minutes > 59 || Number(s) > 59) return null;
    const millis = Number(fraction.slice(0, 3).padEnd(3, "0"));
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), hours, minutes, Number(s), millis));
    // Date.UTC rolls 2024-02-30 over to March: an impossible date is invalid, not moved.
    if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return null;
    return date;
  }
  if (ISO_WITH_OFFSET.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}
