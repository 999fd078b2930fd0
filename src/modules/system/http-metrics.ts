import type { FastifyInstance } from 'fastify';

import { getOrCreateHistogram } from './metrics.registry';

/** Records every HTTP response in `http_request_duration_seconds` by route template (bounded labels). */
export function registerHttpMetrics(fastify: FastifyInstance): void {
  const histogram = getOrCreateHistogram(
    'http_request_duration_seconds',
    'HTTP request duration in seconds by method, route template and status code',
    ['method', 'route', 'status_code'] as const,
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  );
  fastify.addHook('onResponse', (request, reply, done) => {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
