import { getMessaging, type Messaging } from "firebase-admin/messaging";

/** One push to one device: what the nightly job sends when a followed show's episode airs. */
export interface AlertMessage {
  token: string;
  title: string;
  body: string;
  /** FCM data payload (strings only): `showId`, `season`, `episode`, `inboxId`. */
  data: Record<string, string>;
}

/** The outcome per message; `invalidToken` means the device is gone and its registration should be removed. */
export type AlertDelivery = { ok: true } | { ok: false; invalidToken: boolean; code: string };

/**
 * The seam in front of FCM (like the TMDB client's): production sends through firebase-admin messaging;
 * tests use `RecordingAlertSender`, since FCM has no emulator.
 */
export interface AlertSender {
  send(messages: AlertMessage[]): Promise<AlertDelivery[]>;
}

/** FCM error codes that mean the token will never work again. */
const INVALID_TOKEN_CODES = new Set(["messaging/registration-token-not-registered", "messaging/invalid-registration-token"]);
/** FCM's limit per `sendEach` call. */
const FCM_BATCH = 500;

export function fcmAlertSender(messaging: () => Messaging = () => getMessaging()): AlertSender {
  return {
    async send(messages) {
      const deliveries: AlertDelivery[] = [];
      for (let i = 0; i < messages.length; i += FCM_BATCH) {
        const batch = messages.slice(i, i + FCM_BATCH);
        const result = await messaging().sendEach(
          batch.map((m) => ({ token: m.token, notification: { title: m.title, body: m.body }, data: m.data })),
        );
        for (const response of result.responses) {
          if (response.success) deliveries.push({ ok: true });
          else {
            const code = response.error?.code ?? "unknown";
            deliveries.push({ ok: false, invalidToken: INVALID_TOKEN_CODES.has(code), code });
          }
        }
      }
      return deliveries;
    },
  };
}

/** A sender for tests: records every message; tokens in `invalidTokens` are answered as FCM answers a dead token. */
export class RecordingAlertSender implements AlertSender {
  readonly sent: AlertMessage[] = [];
  readonly invalidTokens = new Set<string>();

  async send(messages: AlertMessage[]): Promise<AlertDelivery[]> {
    return messages.map((message) => {
      if (this.invalidTokens.has(message.token))
        return { ok: false, invalidToken: true, code: "messaging/registration-token-not-registered" };
      this.sent.push(message);
      return { ok: true };
    });
  }
}
