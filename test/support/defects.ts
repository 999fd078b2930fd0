import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Response as InjectResponse } from 'light-my-request';
import OpenAI from 'openai';

import { TIERS } from '../../src/common/tiers';
import { AnalyticsWriter } from '../../src/modules/analytics/analytics-writer.service';
import { listenOnRandomPort, startTestApp } from './app';
import { bearer, setupFirstAdmin, type TestUser } from './auth';
import { publishConfig, type SeedModel, seedProvider, type SeededProvider } from './gateway';
import { type MockUpstream, startMockUpstream } from './mock-upstream';

/**
 * Shared setup of the executable defect list (`test/defects*.e2e-spec.ts`, seed-system.md §11):
 * one app listening on a free port, the mock upstream, a first admin and one provider with the
 * given models. Call it at the top of a describe block; the fields are filled in `beforeAll`.
 */
export interface DefectsHarness {
  app: NestFastifyApplication;
  mock: MockUpstream;
  base: string;
  admin: TestUser;
  provider: SeededProvider;
  /** `app.inject` with an optional Bearer token and JSON payload. */
  inject(method: HttpMethod, url: string, token?: string, payload?: unknown): Promise<InjectResponse>;
  /** An admin-API call (`/api/prism/admin/<path>`) as the first admin. */
  admin$(method: HttpMethod, path: string, payload?: unknown): Promise<InjectResponse>;
  /** The official OpenAI SDK against the gateway's `/v1` with this key, no client retries. */
  client(key: string): OpenAI;
  /** The request-log entry of a gateway request (flushes the analytics writer first). */
  requestLog(requestId: string): Promise<RequestLogDetail>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestLogDetail {
  requestId: string;
  endpoint: string;
  stream: boolean;
  status: string;
  routedModel: string | null;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  timings: { totalMs: number; upstreamMs: number; ttftMs: number | null };
}

export function useDefectsHarness(
  /** `env` may be a function when a value is only known once earlier hooks ran (a Redis URL). */
  options: { env?: Record<string, string> | (() => Record<string, string>); models?: SeedModel[] } = {},
): DefectsHarness {
  const h = {} as DefectsHarness;
  h.inject = (method, url, token, payload) =>
    h.app.inject({
      method,
      url,
      headers: token ? bearer(token) : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  h.admin$ = (method, path, payload) => h.inject(method, `/api/prism/admin/${path}`, h.admin.token, payload);
  h.client = (key) => new OpenAI({ apiKey: key, baseURL: `${h.base}/v1`, maxRetries: 0 });
  h.requestLog = async (requestId) => {
    await h.app.get(AnalyticsWriter).flush();
    const res = await h.admin$('GET', `requests/${requestId}`);
    if (res.statusCode !== 200)
      throw new Error(`requests/${requestId} answered ${res.statusCode}: ${res.body}`);
    return res.json<RequestLogDetail>();
  };

  beforeAll(async () => {
    h.mock = await startMockUpstream();
    const env = typeof options.env === 'function' ? options.env() : options.env;
    h.app = await startTestApp({ NODE_ROLE: 'full', ...env });
    h.base = await listenOnRandomPort(h.app);
    h.admin = await setupFirstAdmin(h.app);
    h.provider = await seedProvider(h.app, h.mock.url, options.models ?? tierModels());
    await publishConfig(h.app);
  });
  afterAll(async () => {
    await h.app?.close();
    await h.mock?.close();
  });
  beforeEach(() => h.mock?.reset());
  return h;
}

/** One model per tier, `<tier>-model`, each tier twice the price of the one below. */
export function tierModels(): SeedModel[] {
  return TIERS.map((tier, index) => ({
    id: `${tier}-model`,
    tier,
    inputPer1M: 0.1 * 2 ** index,
    outputPer1M: 0.4 * 2 ** index,
  }));
}
