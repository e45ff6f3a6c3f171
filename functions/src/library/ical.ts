import type { CalendarItem } from "./schemas";

/**
 * iCalendar (RFC 5545) for the calendar feed: one all-day VEVENT per episode. UIDs are stable (the
 * episode, not the day or the feed), so a calendar app updates an event whose air date moves instead of
 * duplicating it. Text is escaped and lines are folded at 75 octets, with CRLF line ends. Pure.
 */
export function renderCalendar(items: CalendarItem[], stamp: Date, host: string): string {
  const dtstamp = stamp
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//tvtracker//calendar feed//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "X-WR-CALNAME:TV calendar",
  ];
  for (const item of items) {
    const code = `S${String(item.season).padStart(2, "0")}E${String(item.episode).padStart(2, "0")}`;
    const show = item.name ?? `Show ${item.showId}`;
    lines.push(
      "BEGIN:VEVENT",
      `UID:tv-${item.showId}-${item.season}-${item.episode}@${host}`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART;VALUE=DATE:${item.airDate.replace(/-/g, "")}`,
      `DTEND;VALUE=DATE:${nextDay(item.airDate).replace(/-/g, "")}`,
      `SUMMARY:${escapeText(`${show} ${code}${item.episodeName ? ` ${item.episodeName}` : ""}`)}`,
      `DESCRIPTION:${escapeText(`${show}, season ${item.season}, episode ${item.episode}`)}`,
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

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
