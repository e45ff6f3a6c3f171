interface ImportMetaEnv {
  /** The project's Web Push certificate public key (FCM), for notifications on this browser (src/push.ts). */
  readonly VITE_FCM_VAPID_KEY?: string;
}
