import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { listenOnRandomPort, startTestApp } from './support/app';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';
import { type MetricType, parsePrometheusText } from './support/prometheus-text';

/** The metrics docs/gateway.md documents: name → type and label names (histograms: besides `le`). */
const DOCUMENTED: Record<string, [MetricType, string[]]> = {
  prism_gateway_requests_total: ['counter', ['tenant', 'model', 'endpoint', 'status']],
  prism_gateway_tokens_total: ['counter', ['tenant', 'type']],
  prism_gateway_cost_usd_total: ['counter', ['tenant']],
  prism_gateway_upstream_errors_total: ['counter', ['provider', 'kind']],
  prism_gateway_stage_duration_seconds: ['histogram', ['stage']],
  prism_gateway_latency_seconds: ['histogram', ['phase']],
  prism_gateway_cache_lookups_total: ['counter', ['cache', 'result']],
  prism_analytics_queue_depth: ['gauge', []],
  prism_analytics_dropped_total: ['counter', []],
  prism_analytics_written_total: ['counter', []],
  prism_analytics_flush_failures_total: ['counter', []],
  // prism_limits_redis_fallback_total exists only with REDIS_URL (covered by the Redis limit tests).
};

describe('the Prometheus text parser (test support)', () => {
  it('accepts a well-formed exposition and rejects what Prometheus would reject', () => {
    const good = [
      '# HELP a_total A "help" with \\\\ and \\n',
      '# TYPE a_total counter',
      'a_total{x="1",y="q\\"uote\\\\n"} 3',
      'a_total{x="2",} 4 1700000000000',
      '# TYPE h histogram',
      'h_bucket{le="0.1"} 1',
      'h_bucket{le="+Inf"} 2',
      'h_sum 0.3',
      'h_count 2',
      '',
    ].join('\n');
    const families = parsePrometheusText(good);
    expect(families.get('a_total')!.samples.map((s) => s.labels)).toEqual([
      { x: '1', y: 'q"uote\\n' },
      { x: '2' },
    ]);
    expect(families.get('h')!.type).toBe('histogram');
    const bad = [
      'a b 1\n',
      'a{1x="y"} 1\n',
      'a{x="y} 1\n',
      'a{x="\\t"} 1\n',
      'a 1x\n',
      'a  1\n',
      'a 1\nb 1\na 2\n',
      'a 1\na 2\n',
      'a 1\n# TYPE a counter\n',
      '# TYPE a counter\n# TYPE a gauge\n',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n',
      'a 1',
    ];
    for (const text of bad) expect(() => parsePrometheusText(text)).toThrow();
  });
});

describe('/metrics', () => {
  let mock: MockUpstream;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let tenant: SeededTenant;

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'full' });
    baseUrl = await listenOnRandomPort(app);
    const provider = await seedProvider(app, mock.url, [{ id: 'metered', inputPer1M: 1, outputPer1M: 2 }]);
    tenant = await seedTenant(app, [provider.id]);
    await publishConfig(app);
    mock.script({ reply: replies.text('ok', { usage: { promptTokens: 10, completionTokens: 5 } }) });
  });
  afterAll(async () => {
    await app?.close();
    await mock?.close();
  });

  it('passes a strict Prometheus text-format parser and has every documented metric with its labels', async () => {
    const sdk = new OpenAI({ apiKey: tenant.key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    await sdk.chat.completions.create({
      model: 'metered',
      messages: [{ role: 'user', content: 'count me' }],
    });
    const stream = await sdk.chat.completions.create({
      model: 'metered',
      messages: [{ role: 'user', content: 'stream me' }],
      stream: true,
    });
    for await (const chunk of stream) void chunk;

    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusText(await response.text());

    for (const [name, [type, labels]] of Object.entries(DOCUMENTED)) {
      const family = families.get(name);
      expect({ name, type: family?.type, help: typeof family?.help }).toEqual({ name, type, help: 'string' });
      for (const sample of family!.samples) {
        const names = Object.keys(sample.labels).filter((l) => !(type === 'histogram' && l === 'le'));
        expect({ name, labels: names.sort() }).toEqual({ name, labels: [...labels].sort() });
      }
    }
    const requests = families.get('prism_gateway_requests_total')!.samples;
    expect(requests).toContainEqual({
      name: 'prism_gateway_requests_total',
      labels: { tenant: tenant.slug, model: 'metered', endpoint: 'chat', status: 'success' },
      value: 2,
    });
    const phases = new Set(families.get('prism_gateway_latency_seconds')!.samples.map((s) => s.labels.phase));
    expect([...phases].sort()).toEqual(['overhead', 'total', 'ttft', 'upstream']);
    const tokens = families.get('prism_gateway_tokens_total')!.samples;
    expect(tokens.find((s) => s.labels.type === 'input')?.value).toBeGreaterThanOrEqual(10);
  });
});
