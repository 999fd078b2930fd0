import type { FastifyInstance } from 'fastify';

import type { FastHistogram } from './fast-histogram';
import { getOrCreateHistogram } from './metrics.registry';

type HttpLabel = 'method' | 'route' | 'status_code';

/** `http_request_duration_seconds`: every HTTP response by method, route template and status (bounded labels). */
export function httpDurationHistogram(): FastHistogram<HttpLabel> {
  return getOrCreateHistogram(
    'http_request_duration_seconds',
    'HTTP request duration in seconds by method, route template and status code',
    ['method', 'route', 'status_code'] as const,
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  );
}

/** Records every response Fastify serves in `http_request_duration_seconds` by route template. */
export function registerHttpMetrics(fastify: FastifyInstance): void {
  const histogram = httpDurationHistogram();
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
