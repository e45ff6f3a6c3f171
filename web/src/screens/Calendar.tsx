import { useState } from "preact/hooks";
import type { CalendarItem } from "@tvtracker/client";
import { profileArg, useSession } from "../data";
import { episodeCode } from "../ui/Progress";
import { useAction, useAnswer } from "../ui/useAction";

/** Episodes airing in the next 31 days for the shows you follow, and the iCal feed for a calendar app. */
export function Calendar() {
  const session = useSession();
  const calendar = useAnswer("getCalendar", { days: 31, ...profileArg(session) });
  const items: CalendarItem[] | null = calendar.answer?.items ?? null;
  const { run, feedback } = useAction();
  const [feed, setFeed] = useState<string | null>(null);
  const error = calendar.error;
  const byDate = new Map<string, CalendarItem[]>();
  for (const item of items ?? []) byDate.set(item.airDate, [...(byDate.get(item.airDate) ?? []), item]);

  // `{}` in the contract until §9 adds profileId to every per-user callable.
  const forProfile = () => profileArg(session) as Record<string, never>;
  const createFeed = () =>
    run(
      async () => (await session.backend.api()).createCalendarFeed(forProfile()),
      ({ url }) => void setFeed(url),
    );
  const revokeFeed = () =>
    run(
      async () => (await session.backend.api()).revokeCalendarFeed(forProfile()),
      () => void setFeed(null),
    );

  return (
    <section aria-labelledby="calendar-title">
      <h1 id="calendar-title">Calendar</h1>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {feedback}
      {items === null && !error ? <p aria-busy="true">Loading…</p> : null}
      {items?.length === 0 ? <p class="muted">Nothing airs in the next 31 days for the shows you follow.</p> : null}
      {[...byDate].map(([date, episodes]) => (
        <section key={date} aria-labelledby={`d-${date}`}>
          <h2 id={`d-${date}`}>{date}</h2>
          <ul class="plain">
            {episodes.map((item) => (
              <li>
                <a href={`/show/${item.showId}`}>{item.name ?? `Show ${item.showId}`}</a> {episodeCode(item.season, item.episode)}{" "}
                {item.episodeName}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <h2>In your calendar app</h2>
      <p>A private iCal link: subscribe to it in Google Calendar, Apple Calendar or Outlook. Creating a new link revokes the old one.</p>
      <div class="row">
        <button type="button" onClick={() => void createFeed()}>
          {feed ? "Create a new link" : "Create my iCal link"}
        </button>
        {feed ? (
          <button type="button" class="secondary" onClick={() => void revokeFeed()}>
            Revoke the link
          </button>
        ) : null}
      </div>
      {feed ? (
        <p>
          <label>
            iCal link <input readOnly value={feed} size={60} onFocus={(e) => e.currentTarget.select()} />
          </label>
        </p>
      ) : null}
    </section>
  );
}
