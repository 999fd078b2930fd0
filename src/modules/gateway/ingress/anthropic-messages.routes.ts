import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { RESERVED_TENANT_SLUGS } from '../../../common/reserved-names';
import { GatewayHttpError } from '../../../core/http/gateway-http.error';
import { GATEWAY_PREFIXES, preHandlerErrorResponse } from '../gateway-paths';
import type { GatewayService } from '../gateway.service';
import { estimateRequestTokens } from '../tokens/token-estimator';
import {
  ANTHROPIC_MESSAGES_INGRESS,
  anthropicBodyToOpenAI,
  anthropicErrorResponse,
} from './anthropic-messages.ingress';

type TenantParams = { tenant?: string };

/**
 * `POST …/v1/messages` and `POST …/v1/messages/count_tokens` (Anthropic Messages API, for Claude
 * Code and the Anthropic SDKs). Keys come as `x-api-key` or `Authorization: Bearer`;
 * `anthropic-version` and `anthropic-beta` are accepted and ignored. Every error, including the ones
 * Fastify raises before the handler (bad JSON, body too large), is Anthropic-shaped.
 */
export function registerAnthropicMessagesRoutes(fastify: FastifyInstance, gateway: GatewayService): void {
  const errorHandler = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = preHandlerErrorResponse(error, true);
    void reply.code(status).send(body);
  };
  for (const prefix of GATEWAY_PREFIXES) {
    fastify.route<{ Params: TenantParams }>({
      method: 'POST',
      url: `${prefix}/messages`,
      errorHandler,
      handler: (request, reply) => {
        const slug = tenantOf(request, reply);
        if (slug === null) return;
        return gateway.handle('chat', request, reply, slug, ANTHROPIC_MESSAGES_INGRESS);
      },
    });
    fastify.route<{ Params: TenantParams }>({
      method: 'POST',
      url: `${prefix}/messages/count_tokens`,
      errorHandler,
      handler: (request, reply) => {
        const slug = tenantOf(request, reply);
        if (slug === null) return;
        return countTokens(gateway, request, reply, slug);
      },
    });
  }
}

/**
 * `count_tokens`: the gateway's estimate (characters / 4 plus per-message and per-image overhead)
 * of the translated prompt, tools included. Authenticated like a real request; nothing is sent
 * upstream or recorded.
 */
async function countTokens(
  gateway: GatewayService,
  request: FastifyRequest,
  reply: FastifyReply,
  tenantSlug: string | undefined,
): Promise<void> {
  try {
    const ctx = await gateway.authenticate(request, tenantSlug);
    const body = anthropicBodyToOpenAI(request.body, { requireMaxTokens: false });
    void reply.headers(ctx.responseHeaders).send({ input_tokens: estimateRequestTokens(body, 'chat') });
  } catch (error) {
    const httpError =
      error instanceof GatewayHttpError
        ? error
        : new GatewayHttpError(
            500,
            'server_error',
            'internal_error',
            `Internal error (request id ${request.id})`,
          );
    if (!(error instanceof GatewayHttpError)) request.log.error({ err: error }, 'count_tokens failed');
    sendAnthropicError(reply, httpError);
  }
}

function sendAnthropicError(reply: FastifyReply, error: GatewayHttpError): void {
  const { status, body } = anthropicErrorResponse(error);
  void reply.code(status).headers(error.headers).send(body);
}

function tenantOf(
  request: FastifyRequest<{ Params: TenantParams }>,
  reply: FastifyReply,
): string | undefined | null {
  const slug = request.params.tenant;
  if (slug === undefined || !RESERVED_TENANT_SLUGS.has(slug)) return slug;
  sendAnthropicError(
    reply,
    new GatewayHttpError(404, '', '', `Route ${request.method}:${request.url} not found`),
  );
  return null;
}
