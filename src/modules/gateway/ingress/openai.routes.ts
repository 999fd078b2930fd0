import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { RESERVED_TENANT_SLUGS } from '../../../common/reserved-names';
import { openAIErrorBody } from '../../../core/http/error-shapes';
import { GATEWAY_PREFIXES, preHandlerErrorResponse } from '../gateway-paths';
import type { GatewayService } from '../gateway.service';
import type { GatewayEndpoint } from '../pipeline/gateway-context';

const POST_ROUTES: readonly [string, GatewayEndpoint][] = [
  ['/chat/completions', 'chat'],
  ['/completions', 'completions'],
  ['/embeddings', 'embeddings'],
];

type TenantParams = { tenant?: string; '*'?: string };

/**
 * The OpenAI ingress: chat/completions, completions, embeddings and models under every gateway
 * prefix, registered directly on Fastify: no Nest pipes, guards or interceptors on the hot path
 * (the stages do that work). Errors Fastify raises before the handler (bad JSON, body
 * too large, wrong content type) are answered in OpenAI's shape by the route's error handler.
 */
export function registerOpenAIRoutes(fastify: FastifyInstance, gateway: GatewayService): void {
  const errorHandler = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = preHandlerErrorResponse(error, false);
    void reply.code(status).send(body);
  };
  for (const prefix of GATEWAY_PREFIXES) {
    for (const [path, endpoint] of POST_ROUTES) {
      fastify.route<{ Params: TenantParams }>({
        method: 'POST',
        url: prefix + path,
        errorHandler,
        handler: (request, reply) => {
          const slug = tenantOf(request, reply);
          if (slug === null) return;
          return gateway.handle(endpoint, request, reply, slug);
        },
      });
    }
    fastify.route<{ Params: TenantParams }>({
      method: 'GET',
      url: `${prefix}/models`,
      errorHandler,
      handler: (request, reply) => {
        const slug = tenantOf(request, reply);
        if (slug === null) return;
        return gateway.listModels(request, reply, slug);
      },
    });
    fastify.route<{ Params: TenantParams }>({
      method: 'GET',
      url: `${prefix}/models/*`,
      errorHandler,
      handler: (request, reply) => {
        const slug = tenantOf(request, reply);
        if (slug === null) return;
        return gateway.retrieveModel(request, reply, decodeURIComponent(request.params['*'] ?? ''), slug);
      },
    });
  }
}

/** The tenant slug of the URL (undefined on the shorthands), or null after answering 404. */
function tenantOf(
  request: FastifyRequest<{ Params: TenantParams }>,
  reply: FastifyReply,
): string | undefined | null {
  const slug = request.params.tenant;
  if (slug === undefined) return undefined;
  if (RESERVED_TENANT_SLUGS.has(slug)) {
    void reply
      .code(404)
      .send(
        openAIErrorBody(`Route ${request.method}:${request.url} not found`, 'not_found_error', 'not_found'),
      );
    return null;
  }
  return slug;
}
