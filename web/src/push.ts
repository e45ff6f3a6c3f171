/**
 * Notifications on this browser (§7 devices): Firebase Cloud Messaging's web push. The token goes to
 * `registerDevice` with platform "web"; new-episode alerts and messages (§10) then reach this browser.
 *
 * FCM needs the project's Web Push certificate (its public "VAPID" key, Firebase console → Project settings →
 * Cloud Messaging), given at build time as `VITE_FCM_VAPID_KEY`. There is no FCM emulator, so against the
 * emulators the app says why it cannot register instead of failing later.
 */
import type { Backend } from "./firebase";

const VAPID_KEY: string | undefined = import.meta.env.VITE_FCM_VAPID_KEY;

/** Why this browser cannot get notifications, or null when it can ask. */
export async function pushUnavailableReason(backend: Backend): Promise<string | null> {
  if (backend.config.emulators) return "Notifications need a deployed project: Firebase Cloud Messaging has no emulator.";
  if (!VAPID_KEY) return "Notifications are not set up for this app (build it with VITE_FCM_VAPID_KEY).";
  if (typeof Notification === "undefined" || !("serviceWorker" in navigator)) return "This browser cannot show notifications.";
  const { isSupported } = await import("firebase/messaging");
  if (!(await isSupported())) return "This browser cannot receive Firebase notifications.";
  if (Notification.permission === "denied") return "Notifications are blocked for this site in the browser's settings.";
  return null;
}

/** Asks for permission, subscribes through FCM and registers the token; answers the token. */
export async function enablePush(backend: Backend): Promise<string> {
  const reason = await pushUnavailableReason(backend);
  if (reason) throw new Error(reason);
  if ((await Notification.requestPermission()) !== "granted") throw new Error("Notifications were not allowed.");
  // Our own small worker (web/public/push-sw.js) shows the notification; it needs no Firebase SDK.
  const serviceWorkerRegistration = await navigator.serviceWorker.register("/push-sw.js");
  const messaging = await import("firebase/messaging");
  const token = await messaging.getToken(messaging.getMessaging(backend.auth.app), { vapidKey: VAPID_KEY, serviceWorkerRegistration });
  await (await backend.api()).registerDevice({ token, platform: "web" });
  return token;
}
