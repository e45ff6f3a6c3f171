import { createHash } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { AppContext } from "../shared/app";
import { logDeviceChanged } from "./logs";
import type { RegisterDeviceRequest, RegisterDeviceResponse } from "./schemas";

/**
 * `users/{uid}/devices/{sha256(token)}`: one FCM registration token per document. The id is the token's
 * hash, so registering the same token again is the same document (idempotent) and ids stay short and
 * path-safe whatever the token holds.
 */
export interface DeviceDoc {
  token: string;
  platform: RegisterDeviceRequest["platform"];
  registeredAt: Timestamp;
  updatedAt: Timestamp;
}

export const devicesCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("devices");
export const deviceId = (token: string) => createHash("sha256").update(token).digest("hex");

export async function registerDevice(
  ctx: Pick<AppContext, "db" | "clock">,
  uid: string,
  { token, platform }: RegisterDeviceRequest,
): Promise<RegisterDeviceResponse> {
  const ref = devicesCollection(ctx.db, uid).doc(deviceId(token));
  const now = Timestamp.fromDate(ctx.clock());
  await ctx.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const registeredAt = (snap.get("registeredAt") as Timestamp | undefined) ?? now;
    tx.set(ref, { token, platform, registeredAt, updatedAt: now } satisfies DeviceDoc);
  });
  logDeviceChanged({ uid, platform, registered: true });
  return { registered: true };
}

export async function unregisterDevice(
  ctx: Pick<AppContext, "db">,
  uid: string,
  { token, platform }: RegisterDeviceRequest,
): Promise<RegisterDeviceResponse> {
  await devicesCollection(ctx.db, uid).doc(deviceId(token)).delete();
  logDeviceChanged({ uid, platform, registered: false });
  return { registered: false };
}

/** The FCM tokens of a user's registered devices, for the modules that push to them (alerts, messages). */
export async function deviceTokens(db: Firestore, uid: string): Promise<string[]> {
  const devices = await devicesCollection(db, uid).get();
  return devices.docs.map((doc) => doc.get("token") as unknown).filter((token): token is string => typeof token === "string");
}

/** Removes devices by id: what the nightly alerts ask for tokens FCM reported unregistered. This module owns `devices`. */
export async function pruneDevices(db: Firestore, uid: string, deviceIds: string[]): Promise<void> {
  await Promise.all(deviceIds.map((id) => devicesCollection(db, uid).doc(id).delete()));
}
