import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { AnalyticsWriter } from '../../../src/modules/analytics/analytics-writer.service';
import { RoutingTraceWriter } from '../../../src/modules/routing/trace/routing-trace.writer';
import { type SeededProvider, type SeedModel, seedProvider } from '../../support/gateway';

/** The models of the `mockai` provider most console specs route to (cheap, middle, expensive). */
export const MOCKAI_MODELS = {
  small: { id: 'small-model', tier: 'minimal', inputPer1M: 0.1, outputPer1M: 0.4 },
  mid: { id: 'mid-model', tier: 'medium', inputPer1M: 1, outputPer1M: 4 },
  big: { id: 'big-model', tier: 'high', inputPer1M: 5, outputPer1M: 20 },
} satisfies Record<string, SeedModel>;

/** The `mockai` provider on the mock upstream, with the given models (default: all three). */
export function seedMockai(
  app: NestFastifyApplication,
  mockUrl: string,
  models: SeedModel[] = Object.values(MOCKAI_MODELS),
): Promise<SeededProvider> {
  return seedProvider(app, mockUrl, models, { slug: 'mockai' });
}

export interface ChatOptions {
  model?: string;
  content?: string;
  /** Extra request headers (`x-session-id`, `x-user`…). */
  headers?: Record<string, string>;
}

/**
 * One chat completion through the gateway with a tenant key, as a client sends it; fails unless
 * it is answered with 200. Returns the response (its `x-request-id` names the request).
 */
export async function sendChat(baseUrl: string, key: string, options: ChatOptions = {}): Promise<Response> {
  const { model = 'auto', content = 'hi there, how are you?', headers = {} } = options;
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
  if (response.status !== 200) {
    throw new Error(`chat through the gateway answered ${response.status}: ${await response.text()}`);
  }
  return response;
}

/** Writes what the gateway has queued (request log rows and routing traces), so the console shows it. */
export async function flushTraffic(app: NestFastifyApplication): Promise<void> {
  await app.get(AnalyticsWriter).flush();
  await app.get(RoutingTraceWriter).flush();
}
