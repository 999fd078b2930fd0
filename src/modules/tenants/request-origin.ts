import type { FastifyRequest } from 'fastify';

/** The public origin the client used (honours X-Forwarded-Proto/Host behind a proxy). */
export function requestOrigin(request: FastifyRequest): string {
  const host = request.host || 'localhost';
  return `${request.protocol}://${host}`;
}
