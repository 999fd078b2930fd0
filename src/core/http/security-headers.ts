import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';

import { isGatewayPath } from './error-shapes';

/**
 * The console's policy: scripts and styles only from our own origin, no inline script at all; the
 * styles Angular injects at run time carry the per-response nonce (`ngCspNonce` on `<app-root>`).
 * No framing (clickjacking), no plugins, no foreign form targets.
 */
export function consoleCsp(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** JSON, CSV and probe answers are never rendered as pages: nothing may load or frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI (`/api/docs`) sets inline styles from its scripts; its scripts come from us. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export function newCspNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface SecurityHeaderOptions {
  /** `Strict-Transport-Security: max-age`; 0 sends none (plain HTTP installs, or TLS not at us). */
  hstsMaxAgeSeconds: number;
}

/**
 * Security headers on every console, admin API, docs, health and metrics answer (issue 15 item
 * 10). Gateway answers are left alone: machine clients, and the hot path gains nothing from them.
 * A route that sets its own `Content-Security-Policy` (the console's index.html) keeps it.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: SecurityHeaderOptions): void {
  const hsts =
    options.hstsMaxAgeSeconds > 0 ? `max-age=${options.hstsMaxAgeSeconds}; includeSubDomains` : undefined;
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!isGatewayPath(request.url)) applyHeaders(request.url, reply, hsts);
    done(null, payload);
  });
}

function applyHeaders(url: string, reply: FastifyReply, hsts: string | undefined): void {
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('referrer-policy', 'no-referrer');
  void reply.header('x-frame-options', 'DENY');
  if (!reply.hasHeader('content-security-policy')) {
    void reply.header('content-security-policy', /^\/api\/docs(?:[/?-]|$)/.test(url) ? DOCS_CSP : API_CSP);
  }
  if (hsts) void reply.header('strict-transport-security', hsts);
}
