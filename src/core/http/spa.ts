import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { consoleCsp, newCspNonce } from './security-headers';

export function defaultUiDistDir(): string {
  return resolve(__dirname, '../../..', 'admin-ui', 'dist', 'admin-ui', 'browser');
}

/** Answers a would-be 404 with index.html when it is a deep link into the console; false otherwise. */
export type SpaFallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Serves the built Angular console at `/` (control and full roles). Returns the SPA fallback used
 * by the exception filter for unknown GET paths that are not API, health or metrics routes, or
 * undefined when no build exists. `index.html` is always answered by the fallback (also for `/`),
 * never as a static file: each answer gets a fresh CSP nonce, written into `ngCspNonce` so the
 * styles Angular injects are allowed and nothing inline else is.
 */
export async function serveAdminUi(
  app: NestFastifyApplication,
  distDir: string,
): Promise<SpaFallback | undefined> {
  const indexPath = join(distDir, 'index.html');
  if (!existsSync(indexPath)) return undefined;
  const indexHtml = readFileSync(indexPath, 'utf8');
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/',
    wildcard: false,
    index: false,
    allowedPath: (pathName: string) => pathName !== '/index.html',
  });
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isDeepLink =
      request.method === 'GET' &&
      !/^\/(api|v1|health|metrics)(\/|$)/.test(path) &&
      !/\.[a-z0-9]+$/i.test(path);
    if (!isDeepLink) return false;
    const nonce = newCspNonce();
    void reply
      .status(200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', consoleCsp(nonce))
      .send(withNonce(indexHtml, nonce));
    return true;
  };
}

/** Puts the nonce on `<app-root>`, where Angular reads it for the `<style>` elements it adds. */
export function withNonce(html: string, nonce: string): string {
  return html.replace(/<app-root\b/, `<app-root ngCspNonce="${nonce}"`);
}
