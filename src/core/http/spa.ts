import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function defaultUiDistDir(): string {
  return resolve(__dirname, '../../..', 'admin-ui', 'dist', 'admin-ui', 'browser');
}

/** Answers a would-be 404 with index.html when it is a deep link into the console; false otherwise. */
export type SpaFallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Serves the built Angular console at `/` (control and full roles). Returns the SPA fallback used
 * by the exception filter for unknown GET paths that are not API, health or metrics routes, or
 * undefined when no build exists.
 */
export async function serveAdminUi(
  app: NestFastifyApplication,
  distDir: string,
): Promise<SpaFallback | undefined> {
  if (!existsSync(join(distDir, 'index.html'))) return undefined;
  await app.register(fastifyStatic, { root: distDir, prefix: '/', wildcard: false, index: ['index.html'] });
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isDeepLink =
      request.method === 'GET' &&
      !/^\/(api|v1|health|metrics)(\/|$)/.test(path) &&
      !/\.[a-z0-9]+$/i.test(path);
    if (!isDeepLink) return false;
    void reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    return true;
  };
}
