// Shows this app's push notifications (FCM web push, registered by web/src/push.ts). FCM delivers the
// backend's `notification` block as JSON; a click opens the app at the link the message carries, if any.
self.addEventListener("push", (event) => {
  const payload = event.data ? event.data.json() : {};
  const notification = payload.notification ?? {};
  const link = payload.fcmOptions?.link ?? payload.data?.link ?? "/";
  event.waitUntil(
    self.registration.showNotification(notification.title ?? "TV tracker", { body: notification.body ?? "", data: { link } }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data?.link ?? "/"));
});
