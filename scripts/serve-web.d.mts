/** Types of scripts/serve-web.mjs, for the TypeScript that imports it (bench/web.ts). */
export interface InitConfig {
  projectId: string;
  apiKey: string;
  authDomain: string;
  appId: string;
  emulators: Record<"auth" | "firestore" | "functions", { host: string; port: number }>;
  demoUser?: { email: string; password: string };
}
export function emulatorInitConfig(options?: { offset?: number; demoUser?: { email: string; password: string } }): InitConfig;
export function serveWeb(options?: {
  port?: number;
  host?: string;
  config?: InitConfig;
}): Promise<{ server: import("node:http").Server; url: string }>;
