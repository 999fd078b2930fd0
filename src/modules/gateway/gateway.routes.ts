import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { clientErrorMessage, defaultOpenAIError } from '../../core/http/error-shapes';
import type { GatewayService } from './gateway.service';
import { registerAnthropicMessagesRoutes } from './ingress/anthropic-messages.routes';
import type { GatewayEndpoint } from './pipeline/gateway-context';

/** `/api/:tenant/v1` names the tenant; `/api/v1` and `/v1` take it from the key. */
const PREFIXES = ['/api/:tenant/v1', '/api/v1', '/v1'] as const;
/** Not tenants: `/api/prism/*` is the admin API. */
const RESERVED_SLUGS = new Set(['prism']);

const POST_ROUTES: readonly [string, GatewayEndpoint][] = [
  ['/chat/completions', 'chat'],
  ['/completions', 'completions'],
  ['/embeddings', 'embeddings'],
];

type TenantParams = { tenant?: string; '*'?: string };

/**
 * Registers the gateway routes directly on Fastify: no Nest pipes, guards or interceptors on the
 * hot path (the stages do that work). Errors Fastify raises before the handler (bad JSON, body
 * too large, wrong content type) are answered in OpenAI's shape by the route's error handler.
 */
export function registerGatewayRoutes(fastify: FastifyInstance, gateway: GatewayService): void {
  const errorHandler = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    const [type, code] = defaultOpenAIError(status);
    const message = status >= 500 ? 'Internal server error' : clientErrorMessage(error);
    void reply.code(status).send({ error: { message, type, code, param: null } });
  };
  for (const prefix of PREFIXES) {
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
  registerAnthropicMessagesRoutes(fastify, gateway);
}

/** The tenant slug of the URL (undefined on the shorthands), or null after answering 404. */
function tenantOf(
  request: FastifyRequest<{ Params: TenantParams }>,
  reply: FastifyReply,
): string | undefined | null {
  const slug = request.params.tenant;
  if (slug === undefined) return undefined;
  if (RESERVED_SLUGS.has(slug)) {
    void reply.code(404).send({
      error: {
        message: `Route ${request.method}:${request.url} not found`,
        type: 'not_found_error',
        code: 'not_found',
        param: null,
      },
    });
    return null;
  }
  return slug;
}
