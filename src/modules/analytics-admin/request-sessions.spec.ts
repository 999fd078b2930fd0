import { summarizeSessions } from './request-log.service';

const row = (over: Record<string, unknown>) => ({
  timestamp: new Date('2026-12-06T10:00:00Z'),
  tenantId: 't1',
  tenantSlug: 'one',
  sessionId: 'chat',
  routedModel: 'small',
  status: 'success' as const,
  costUsd: 0.1,
  inputTokens: 10,
  outputTokens: 1,
  ...over,
});

describe('summarizeSessions', () => {
  it('sums each session of the page in page order, keeping tenants apart', () => {
    const page = [
      { tenantId: 't2', sessionId: 'chat' },
      { tenantId: 't1', sessionId: 'chat' },
    ];
    const rows = [
      row({}),
      row({ timestamp: new Date('2026-12-06T09:00:00Z'), routedModel: null, status: 'error', costUsd: 0 }),
      row({ timestamp: new Date('2026-12-06T11:00:00Z'), costUsd: 0.2 }),
      row({ tenantId: 't2', tenantSlug: 'two', routedModel: 'large' }),
      row({ tenantId: 't3', tenantSlug: 'three' }), // not on the page
    ] as Parameters<typeof summarizeSessions>[1];
    const [two, one] = summarizeSessions(page, rows);
    expect(two).toMatchObject({ tenantSlug: 'two', requests: 1, models: [{ model: 'large', requests: 1 }] });
    expect(one).toMatchObject({
      tenantId: 't1',
      tenantSlug: 'one',
      requests: 3,
      errors: 1,
      inputTokens: 30,
      outputTokens: 3,
      firstAt: '2026-12-06T09:00:00.000Z',
      lastAt: '2026-12-06T11:00:00.000Z',
      models: [
        { model: 'small', requests: 2 },
        { model: null, requests: 1 },
      ],
    });
    expect(one!.costUsd).toBeCloseTo(0.3, 10);
  });
});
