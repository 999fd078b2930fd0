import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { RESERVED_TENANT_SLUGS } from '../../../common/reserved-names';
import { GATEWAY_PREFIXES, preHandlerErrorResponse } from '../gateway-paths';
import { GatewayErrors } from '../gateway.errors';
import { sendError } from '../respond/reply-writers';
import type { GatewayIngress } from './gateway-ingress';

export type TenantParams = { tenant?: string; '*'?: string };

/** One route of an ingress, below each gateway prefix (e.g. `/chat/completions`). */
export interface IngressRouteSpec {
  method: 'GET' | 'POST';
  path: string;
  /** `tenantSlug`: from `/api/:tenant/v1`, undefined on the shorthands (the key names the tenant). */
  handle(
    request: FastifyRequest<{ Params: TenantParams }>,
    reply: FastifyReply,
    tenantSlug: string | undefined,
  ): Promise<void>;
}

/**
 * Registers an ingress's routes under every gateway prefix, directly on Fastify: no Nest pipes,
 * guards or interceptors on the hot path (the stages do that work). Errors Fastify raises before
 * the handler (bad JSON, body too large, wrong content type) and a reserved tenant slug (404) are
 * answered in the ingress's shape.
 */
export function registerIngressRoutes(
  fastify: FastifyInstance,
  ingress: GatewayIngress,
  routes: readonly IngressRouteSpec[],
): void {
  const errorHandler = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = preHandlerErrorResponse(error, ingress);
    void reply.code(status).send(body);
  };
  for (const prefix of GATEWAY_PREFIXES) {
    for (const route of routes) {
      fastify.route<{ Params: TenantParams }>({
        method: route.method,
        url: prefix + route.path,
        errorHandler,
        handler: (request, reply) => {
          const slug = request.params.tenant;
          if (slug !== undefined && RESERVED_TENANT_SLUGS.has(slug)) {
            sendError(reply, ingress, GatewayErrors.routeNotFound(request.method, request.url));
            return;
          }
          return route.handle(request, reply, slug);
        },
      });
    }
  }
}
