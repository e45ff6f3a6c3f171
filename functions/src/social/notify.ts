import type { Firestore } from "firebase-admin/firestore";
import * as logger from "firebase-functions/logger";
import { deviceId, deviceTokens, pruneDevices } from "../library/devices";
import { fcmAlertSender, type AlertDelivery, type AlertMessage, type AlertSender } from "../nightly/alertSender";
import { logMessageNotifyFailed } from "./logs";

/**
 * The push sender of a function instance: FCM when deployed. FCM has no emulator, and under the
 * emulators (or in tests, which talk to the Firestore emulator) nothing may leave the machine: there
 * each push is only logged (without its token) and answered as delivered.
 */
export function pushSenderForRuntime(): AlertSender {
  if (process.env.FUNCTIONS_EMULATOR === "true" || process.env.FIRESTORE_EMULATOR_HOST) return loggingSender;
  return fcmAlertSender();
}

const loggingSender: AlertSender = {
  async send(messages: AlertMessage[]): Promise<AlertDelivery[]> {
    for (const { title, data } of messages) logger.info("push (emulated, not sent)", { title, ...data });
    return messages.map(() => ({ ok: true }));
  },
};

export interface PushOutcome {
  sent: number;
  invalidTokens: number;
}

export interface Push {
  title: string;
  body: string;
  data: Record<string, string>;
}

/**
 * One push per registered device of `uid`; `push` may be composed lazily (it is then composed only when
 * the user has a device, so whatever it reads is spent only then). Called only by the request that created the message, so a
 * retried or duplicated send never pushes twice; a push that fails is logged, not retried (at most once).
 * Tokens FCM reports as dead are removed through the devices' own module.
 */
export async function pushToDevices(
  db: Firestore,
  sender: AlertSender,
  uid: string,
  compose: Push | (() => Promise<Push>),
): Promise<PushOutcome> {
  const tokens = await deviceTokens(db, uid);
  if (tokens.length === 0) return { sent: 0, invalidTokens: 0 };
  const push = typeof compose === "function" ? await compose() : compose;
  let deliveries: AlertDelivery[];
  try {
    deliveries = await sender.send(tokens.map((token) => ({ token, ...push })));
  } catch (error) {
    logMessageNotifyFailed({
      uid,
      conversationId: push.data.conversationId ?? "",
      messageId: push.data.messageId ?? "",
      code: String((error as { code?: unknown }).code ?? "unknown"),
    });
    return { sent: 0, invalidTokens: 0 };
  }
  const invalid = tokens.filter((_, i) => {
    const delivery = deliveries[i];
    return delivery !== undefined && !delivery.ok && delivery.invalidToken;
  });
  await pruneDevices(db, uid, invalid.map(deviceId));
  return { sent: deliveries.filter((d) => d.ok).length, invalidTokens: invalid.length };
}
