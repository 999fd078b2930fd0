import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { listenOnRandomPort, startTestApp } from '../../support/app';

export const UI_DIST_DIR = resolve(__dirname, '../../../admin-ui/dist/admin-ui/browser');

export interface ConsoleServer {
  app: NestFastifyApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real server in the `full` role on a random port, serving the built console at `/`, on this
 * test file's own database (set up by test/support/setup-env.ts).
 */
export async function startConsoleServer(env: Record<string, string> = {}): Promise<ConsoleServer> {
  if (!existsSync(join(UI_DIST_DIR, 'index.html'))) {
    throw new Error(`The console is not built (${UI_DIST_DIR}): run "npm --prefix admin-ui run build" first`);
  }
  const app = await startTestApp({
    NODE_ROLE: 'full',
    UI_DIST_DIR,
    AUTH_RATE_LIMIT_PER_MIN: '1000',
    ...env,
  });
  const baseUrl = await listenOnRandomPort(app);
  return { app, baseUrl, close: () => app.close() };
}
