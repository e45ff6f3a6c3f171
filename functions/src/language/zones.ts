/**
 * IANA time zones as the time-zone database spells them, through the runtime's own copy of it (Intl):
 * no library, so the request schema stays importable by the client package (contract.ts).
 */
export function canonicalTimeZone(zone: string): string | null {
  // Offsets ("+01:00") and abbreviations are not IANA zones, whatever Intl accepts.
  if (zone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
