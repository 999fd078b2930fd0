import type { FastifyInstance } from 'fastify';

import type { GatewayService } from '../gateway.service';
import { type IngressRouteSpec, registerIngressRoutes } from './ingress-routes';
import { OPENAI_INGRESS, OPENAI_ROUTES } from './openai.ingress';

/**
 * The OpenAI ingress's Fastify routes: chat/completions, completions, embeddings and models under
 * every gateway prefix. The POST routes are usually served by the lean data plane
 * (gateway.lean-http.ts) from the same {@link OPENAI_ROUTES}; these stay for everything it hands
 * on (another content type, an encoded tenant, CORS on, `inject()`).
 */
export function registerOpenAIRoutes(fastify: FastifyInstance, gateway: GatewayService): void {
  const routes: IngressRouteSpec[] = [...OPENAI_ROUTES].map(([path, route]) => ({
    method: 'POST',
    path,
    handle: (request, reply, slug) => gateway.handle(route, request, reply, slug),
  }));
  routes.push(
    {
      method: 'GET',
      path: '/models',
      handle: (request, reply, slug) => gateway.listModels(request, reply, slug),
    },
    {
      method: 'GET',
      path: '/models/*',
      handle: (request, reply, slug) =>
        gateway.retrieveModel(request, reply, decodeURIComponent(request.params['*'] ?? ''), slug),
    },
  );
  registerIngressRoutes(fastify, OPENAI_INGRESS, routes);
}
