import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { AppConfig } from '../../../core/config/app-config';

const ADMIN_PREFIX = '/api/prism/';
/** Credential-accepting routes share the strict per-IP budget. */
const CREDENTIAL_ROUTES = /^\/api\/prism\/(auth|setup)\//;

function requestOf(context: ExecutionContext): FastifyRequest {
  return context.switchToHttp().getRequest<FastifyRequest>();
}

/** `admin`: every `/api/prism/*` request; `auth`: non-GET `auth/*` and `setup/*` requests (login, setup, password). */
export function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'admin', ttl: 60_000, limit: config.adminRateLimitPerMinute },
      {
        name: 'auth',
        ttl: 60_000,
        limit: config.authRateLimitPerMinute,
        skipIf: (context) => {
          const request = requestOf(context);
          return request.method === 'GET' || !CREDENTIAL_ROUTES.test(request.url);
        },
      },
    ],
    errorMessage: 'Too many requests from your address; try again in a minute',
    // One budget per client IP across all routes (the default key is per route).
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
  };
}

/**
 * Per-IP limits for the control plane only (20/min on credential routes, 300/min on the admin API).
 * Registered globally, so it returns at once for anything outside `/api/prism/`: the gateway has
 * its own per-tenant limits and must not pay for this one.
 */
@Injectable()
export class AdminThrottlerGuard extends ThrottlerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (!requestOf(context).url.startsWith(ADMIN_PREFIX)) return true;
    return super.canActivate(context);
  }

  /** Adds the standard `Retry-After` next to the library's per-throttler `Retry-After-<name>`. */
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    void context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('retry-after', String(detail.timeToBlockExpire));
    return super.throwThrottlingException(context, detail);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return typeof req.ip === 'string' ? req.ip : 'unknown';
  }
}
