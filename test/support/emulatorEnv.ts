// Runs before every emulator test file: point the Admin SDK at the emulators before anything imports it.
const offset = Number(process.env.EMULATOR_PORT_OFFSET ?? 0);
process.env.FIRESTORE_EMULATOR_HOST ??= `127.0.0.1:${8080 + offset}`;
process.env.FIREBASE_AUTH_EMULATOR_HOST ??= `127.0.0.1:${9099 + offset}`;
process.env.GCLOUD_PROJECT ??= process.env.TEST_PROJECT_ID ?? "demo-tvtracker";
process.env.TEST_PROJECT_ID ??= process.env.GCLOUD_PROJECT;
// The Google auth library's documented switch: never probe the cloud metadata server from tests.
process.env.METADATA_SERVER_DETECTION = "none";
