import { type BreakdownItemDto } from '../../api/models/breakdown-item-dto';
import { breakdownLogQuery, figureLogQuery } from './log-links';

const item = (key: string, label = key, tenantId?: string): BreakdownItemDto =>
  ({ key, label, costShare: 0, ...(tenantId ? { tenantId } : {}) }) as BreakdownItemDto;

describe('dashboard links into the request log', () => {
  const scope = { from: '2026-12-05T12:00:00.000Z', to: '2026-12-06T12:00:00.000Z', tenant: '' };
  const range = { from: scope.from, to: scope.to };

  it('turns each breakdown row into the log filters that select its requests', () => {
    expect(breakdownLogQuery('tenant', item('t1', 'team', 't1'), scope)).toEqual({ ...range, tenant: 't1' });
    expect(breakdownLogQuery('model', item('gpt-x'), scope)).toEqual({ ...range, routedModel: 'gpt-x' });
    expect(breakdownLogQuery('category', item('coding'), scope)).toEqual({ ...range, category: 'coding' });
    expect(breakdownLogQuery('tier', item('high'), scope)).toEqual({ ...range, tier: 'high' });
    expect(breakdownLogQuery('user', item('t1\u0000alice', 'alice', 't1'), scope)).toEqual({
      ...range,
      user: 'alice',
      tenant: 't1',
    });
    expect(breakdownLogQuery('key', item('key-id', 'omp-1a2b'), scope)).toEqual({
      ...range,
      keyPrefix: 'omp-1a2b',
    });
    expect(breakdownLogQuery('errorType', item('upstream_error'), scope)).toEqual({
      ...range,
      errorType: 'upstream_error',
    });
    expect(breakdownLogQuery('errorType', item('aborted'), scope)).toEqual({ ...range, status: 'aborted' });
  });

  it('keeps the dashboard tenant, and has no link for the "none" bucket', () => {
    const oneTenant = { ...scope, tenant: 't9' };
    expect(breakdownLogQuery('model', item('m'), oneTenant)).toEqual({
      ...range,
      tenant: 't9',
      routedModel: 'm',
    });
    expect(breakdownLogQuery('category', item('', 'none'), scope)).toBeNull();
    expect(figureLogQuery('errors', oneTenant)).toEqual({ ...range, tenant: 't9', status: 'failed' });
    expect(figureLogQuery('requests', scope)).toEqual(range);
  });
});
