import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { GatewayHttpError } from '../../../core/http/gateway-http.error';
import { GatewayErrors } from '../gateway.errors';
import type { GatewayService } from '../gateway.service';
import { sendError } from '../respond/reply-writers';
import { estimateRequestTokens } from '../tokens/token-estimator';
import {
  ANTHROPIC_MESSAGES_INGRESS,
  ANTHROPIC_MESSAGES_ROUTE,
  anthropicBodyToOpenAI,
} from './anthropic-messages.ingress';
import { registerIngressRoutes } from './ingress-routes';

/**
 * `POST …/v1/messages` and `POST …/v1/messages/count_tokens` (Anthropic Messages API, for Claude
 * Code and the Anthropic SDKs). Keys come as `x-api-key` or `Authorization: Bearer`;
 * `anthropic-version` and `anthropic-beta` are accepted and ignored. Every error, including the ones
 * Fastify raises before the handler (bad JSON, body too large), is Anthropic-shaped.
 */
export function registerAnthropicMessagesRoutes(fastify: FastifyInstance, gateway: GatewayService): void {
  registerIngressRoutes(fastify, ANTHROPIC_MESSAGES_INGRESS, [
    {
      method: 'POST',
      path: '/messages',
      handle: (request, reply, slug) => gateway.handle(ANTHROPIC_MESSAGES_ROUTE, request, reply, slug),
    },
    {
      method: 'POST',
      path: '/messages/count_tokens',
      handle: (request, reply, slug) => countTokens(gateway, request, reply, slug),
    },
  ]);
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
    if (!(error instanceof GatewayHttpError)) request.log.error({ err: error }, 'count_tokens failed');
    const httpError = error instanceof GatewayHttpError ? error : GatewayErrors.internal(request.id);
    sendError(reply, ANTHROPIC_MESSAGES_INGRESS, httpError);
  }
}
