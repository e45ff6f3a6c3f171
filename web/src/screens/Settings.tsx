import { useEffect, useState } from "preact/hooks";
import { signOut } from "firebase/auth";
import { useAction } from "../ui/useAction";
import { enablePush, pushUnavailableReason } from "../push";
import { profileArg, useCollection, useDocument, useSession } from "../data";

interface WebhookDoc {
  kind: "plex" | "jellyfin";
  account?: string | null;
  received?: number;
  matched?: number;
  unmatched?: number;
}
interface DeviceDoc {
  token: string;
  platform: "ios" | "android" | "web";
}
const LANGUAGES = ["en-US", "fr-FR", "de-DE", "es-ES", "it-IT", "pt-BR", "nl-NL", "ja-JP"];
const zones = (): string[] => {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported("timeZone") : ["UTC", "Europe/Paris", "America/New_York"];
};

/** Language and time zone (§11), devices, Plex/Jellyfin webhooks, deleting the account (§9). */
export function Settings() {
  const session = useSession();
  const { run, feedback } = useAction();
  const act: Act = (action, done) => run(action, () => done);
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {feedback}
      <Preferences act={act} />
      <Webhooks act={act} />
      <Devices act={act} />
      <section aria-labelledby="delete-title" class="danger">
        <h2 id="delete-title">Delete my account</h2>
        <p>Deletes your history, library, ratings, friends and household membership. This cannot be undone.</p>
        <DeleteAccount
          onDelete={() =>
            act(async () => {
              await (await session.backend.api()).deleteAccount({});
              await signOut(session.backend.auth);
            })
          }
        />
      </section>
    </section>
  );
}

type Act = (action: () => Promise<unknown>, done?: string) => Promise<void>;

function Preferences({ act }: { act: Act }) {
  const session = useSession();
  const stored = useDocument<{ language: string; timeZone: string }>(["users", session.profileId, "settings", "preferences"]);
  const language = stored.data?.language ?? "en-US";
  const timeZone = stored.data?.timeZone ?? "UTC";
  const save = (change: { language?: string; timeZone?: string }) =>
    act(async () => (await session.backend.api()).setPreferences({ ...change, ...profileArg(session) }), "Saved.");
  return (
    <section aria-labelledby="prefs-title">
      <h2 id="prefs-title">Language and time zone</h2>
      <p class="muted">Episode and show names come in your language; air days and the calendar follow your time zone.</p>
      <div class="row">
        <label>
          Language{" "}
          <select value={language} onChange={(e) => void save({ language: e.currentTarget.value })}>
            {LANGUAGES.map((tag) => (
              <option value={tag}>{tag}</option>
            ))}
          </select>
        </label>
        <label>
          Time zone{" "}
          <select value={timeZone} onChange={(e) => void save({ timeZone: e.currentTarget.value })}>
            {["UTC", ...zones().filter((z) => z !== "UTC")].map((zone) => (
              <option value={zone}>{zone}</option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}

function Webhooks({ act }: { act: Act }) {
  const session = useSession();
  const hooks = useCollection<WebhookDoc>(["users", session.profileId, "webhooks"]);
  const [kind, setKind] = useState<"plex" | "jellyfin">("plex");
  const [account, setAccount] = useState("");
  const [created, setCreated] = useState<{ kind: string; url: string } | null>(null);
  const create = () =>
    act(async () => {
      const api = await session.backend.api();
      const { url } = await api.createWebhook({ kind, ...(account.trim() ? { account: account.trim() } : {}), ...profileArg(session) });
      setCreated({ kind, url });
    });
  return (
    <section aria-labelledby="hooks-title">
      <h2 id="hooks-title">Plex and Jellyfin</h2>
      <p class="muted">Episodes you finish on your media server are marked here by themselves.</p>
      <div class="row">
        <label>
          Server{" "}
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as "plex" | "jellyfin")}>
            <option value="plex">Plex</option>
            <option value="jellyfin">Jellyfin</option>
          </select>
        </label>
        <label>
          Account (optional){" "}
          <input
            value={account}
            placeholder={kind === "plex" ? "Plex user name" : "Jellyfin user"}
            onInput={(e) => setAccount(e.currentTarget.value)}
          />
        </label>
        <button type="button" onClick={() => void create()}>
          Create webhook URL
        </button>
      </div>
      {created ? (
        <div class="howto">
          <label>
            Webhook URL <input readOnly size={60} value={created.url} onFocus={(e) => e.currentTarget.select()} />
          </label>
          {created.kind === "plex" ? (
            <ol>
              <li>In Plex Web, open Settings → Webhooks (a Plex Pass feature).</li>
              <li>Choose "Add Webhook", paste the URL and save.</li>
              <li>Play an episode to the end: it shows as watched here.</li>
            </ol>
          ) : (
            <ol>
              <li>In Jellyfin, install the Webhook plugin (Dashboard → Plugins → Catalog), then restart.</li>
              <li>Dashboard → Plugins → Webhook → "Add Generic Destination"; paste the URL as Webhook Url.</li>
              <li>Tick Playback Start, Playback Progress, Playback Stop and User Data Saved, and "Send All Properties"; save.</li>
            </ol>
          )}
          <p class="muted">Keep the URL private: anyone holding it can mark episodes for you. Delete it below to revoke it.</p>
        </div>
      ) : null}
      <ul class="plain" aria-label="Webhooks">
        {hooks.data?.map(([id, hook]) => (
          <li key={id}>
            {hook.kind === "plex" ? "Plex" : "Jellyfin"}
            {hook.account ? ` (${hook.account})` : ""}: {hook.received ?? 0} events, {hook.matched ?? 0} matched{" "}
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void act(
                  async () => (await session.backend.api()).deleteWebhook({ webhookId: id, ...profileArg(session) }),
                  "Webhook deleted.",
                )
              }
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Devices({ act }: { act: Act }) {
  const session = useSession();
  const devices = useCollection<DeviceDoc>(["users", session.user.uid, "devices"]);
  return (
    <section aria-labelledby="devices-title">
      <h2 id="devices-title">Devices</h2>
      <p class="muted">Phones and browsers that get a notification when a new episode of a show you follow airs.</p>
      <PushOnThisBrowser act={act} />
      {devices.data?.length === 0 ? <p class="muted">No device registered.</p> : null}
      <ul class="plain" aria-label="Devices">
        {devices.data?.map(([id, device]) => (
          <li key={id}>
            {device.platform} · …{device.token.slice(-8)}{" "}
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void act(
                  async () => (await session.backend.api()).unregisterDevice({ token: device.token, platform: device.platform }),
                  "Device removed.",
                )
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function DeleteAccount({ onDelete }: { onDelete(): Promise<void> }) {
  const [confirm, setConfirm] = useState("");
  return (
    <div class="row">
      <label>
        Type DELETE to confirm <input value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />
      </label>
      <button type="button" class="danger" disabled={confirm !== "DELETE"} onClick={() => void onDelete()}>
        Delete my account
      </button>
    </div>
  );
}

/** Registers this browser for notifications (FCM web push), or says why it cannot. */
function PushOnThisBrowser({ act }: { act: Act }) {
  const session = useSession();
  const [unavailable, setUnavailable] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    void pushUnavailableReason(session.backend).then(setUnavailable, (e: unknown) => setUnavailable(String(e)));
  }, []);
  return (
    <div class="row">
      <button
        type="button"
        disabled={unavailable !== null}
        aria-describedby="push-note"
        onClick={() => void act(() => enablePush(session.backend), "This browser will get notifications.")}
      >
        Notify me on this browser
      </button>
      <span id="push-note" class="muted">
        {unavailable ?? (unavailable === null ? "New episodes and messages arrive as notifications." : "Checking…")}
      </span>
    </div>
  );
}
