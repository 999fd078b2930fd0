import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, Observable } from 'rxjs';

import { ClientIpResolver } from '../../core/http/client-ip';
import type { AuthenticatedUser } from '../auth/rbac/authenticated-user';
import { auditContextStorage, type AuditRequestContext } from './audit-context';
import { maskSecrets } from './audit-diff';
import { AuditService } from './audit.service';
import { AUDITED_KEY, type AuditedOptions } from './audited.decorator';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ADMIN_PREFIX = '/api/prism/';

type AdminRequest = FastifyRequest & { user?: AuthenticatedUser };

/**
 * Gives every admin request an audit context (actor, IP, request id) and makes sure every
 * successful authenticated mutation leaves an entry: the handler's own `AuditService.record`
 * calls, else a generic one (`@Audited` names it; default action `<target>.<method>`).
 * Gateway requests pass straight through.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly clientIp: ClientIpResolver,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AdminRequest>();
    if (!request.url.startsWith(ADMIN_PREFIX)) return next.handle();
    const user = request.user;
    const store: AuditRequestContext = {
      actor: user ? { id: user.id, username: user.username, role: user.role } : null,
      ip: this.clientIp.of(request.raw) || null,
      requestId: String(request.id),
      recorded: false,
    };
    const options = this.reflector.get<AuditedOptions | false | undefined>(AUDITED_KEY, context.getHandler());
    const generic = options !== false && user !== undefined && MUTATING.has(request.method);
    // Calling and subscribing inside the context lets the handler and the services it awaits see `store`.
    const result = new Observable<unknown>((subscriber) =>
      auditContextStorage.run(store, () => next.handle().subscribe(subscriber)),
    );
    if (!generic) return result;
    return result.pipe(
      mergeMap((body: unknown) =>
        from(
          auditContextStorage.run(store, async () => {
            if (!store.recorded) await this.audit.record(genericEntry(request, options || undefined, body));
            return body;
          }),
        ),
      ),
    );
  }
}

function genericEntry(request: AdminRequest, options: AuditedOptions | undefined, body: unknown) {
  const routeUrl = request.routeOptions.url ?? request.url;
  const segments = routeUrl
    .slice(ADMIN_PREFIX.length)
    .split('/')
    .filter((s) => s && !s.startsWith(':'));
  const [first, second] = segments;
  const type = options?.targetType ?? (first === 'admin' ? second : first) ?? 'unknown';
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const responseId =
    body && typeof body === 'object' && typeof (body as { id?: unknown }).id === 'string'
      ? (body as { id: string }).id
      : undefined;
  const id = params[options?.idParam ?? 'id'] ?? responseId ?? null;
  return {
    action: options?.action ?? `${type}.${request.method.toLowerCase()}`,
    target: { type, id },
    details: {
      route: `${request.method} ${routeUrl}`,
      ...(request.body && typeof request.body === 'object'
        ? { body: maskSecrets(request.body) as Record<string, unknown> }
        : {}),
    },
  };
}
