import type { CalendarItem } from "./schemas";

/**
 * iCalendar (RFC 5545) for the calendar feed: one all-day VEVENT per episode. UIDs are stable (the
 * episode, not the day or the feed), so a calendar app updates an event whose air date moves instead of
 * duplicating it. Text is escaped and lines are folded at 75 octets, with CRLF line ends. Pure.
 */
export function renderCalendar(
  items: Array<CalendarItem & { airsAt?: string; timed?: boolean }>,
  stamp: Date,
  host: string,
  timeZone?: string,
): string {
  const dtstamp = utcStamp(stamp);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//tvtracker//calendar feed//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "X-WR-CALNAME:TV calendar",
    ...(timeZone ? [`X-WR-TIMEZONE:${timeZone}`] : []),
  ];
  for (const item of items) {
    const code = `S${String(item.season).padStart(2, "0")}E${String(item.episode).padStart(2, "0")}`;
    const show = item.name ?? `Show ${item.showId}`;
    lines.push(
      "BEGIN:VEVENT",
      `UID:tv-${item.showId}-${item.season}-${item.episode}@${host}`,
      `DTSTAMP:${dtstamp}`,
      // A show whose clock is known (language/airTime.ts) is a timed event at the real moment, in UTC, which
      // every calendar app shows in its own zone; otherwise the date is all there is: an all-day event.
      ...(item.timed && item.airsAt
        ? [`DTSTART:${utcStamp(new Date(item.airsAt))}`, `DTEND:${utcStamp(new Date(Date.parse(item.airsAt) + EVENT_MS))}`]
        : [`DTSTART;VALUE=DATE:${item.airDate.replace(/-/g, "")}`, `DTEND;VALUE=DATE:${nextDay(item.airDate).replace(/-/g, "")}`]),
      `SUMMARY:${escapeText(`${show} ${code}${item.episodeName ? ` ${item.episodeName}` : ""}`)}`,
      `DESCRIPTION:${escapeText(`${show}, season ${item.season}, episode ${item.episode}`)}`,
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

/** A timed event's length: TMDB's runtime is not in the season documents; an hour is the common slot. */
const EVENT_MS = 3_600_000;

/** `20260310T010000Z`: an RFC 5545 UTC date-time. */
const utcStamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** TEXT values: backslash, semicolon, comma and newlines escaped; other control characters dropped. */
export function escapeText(text: string): string {
  return (
    text
      .replace(/\\/g, "\\\\")
      .replace(/;/g, "\\;")
      .replace(/,/g, "\\,")
      .replace(/\r\n|\r|\n/g, "\\n")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, "")
  );
}

/** Folds a content line into chunks of at most 75 octets, never splitting a UTF-8 character. */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, "utf8") <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let bytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    // Continuation lines start with a space, which counts towards their 75 octets.
    const max = parts.length === 0 ? 75 : 74;
    if (bytes + size > max) {
      parts.push(current);
      current = "";
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}
