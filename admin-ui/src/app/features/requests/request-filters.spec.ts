import {
  cleanFilters,
  fromLocalInput,
  REQUEST_FILTER_FIELDS,
  REQUEST_FILTERS,
  toLocalInput,
  toRequestQuery,
} from './request-filters';

describe('request log filters', () => {
  it('keeps known, well-formed filters and drops the rest', () => {
    expect(
      cleanFilters({
        tenant: ' team ',
        from: '2026-12-06T10:00:00.000Z',
        to: 'yesterday-ish',
        streamed: 'true',
        minLatencyMs: '250',
        minCostUsd: '-1',
        status: 'maybe',
        view: 'sessions',
        other: 'x',
      }),
    ).toEqual({ tenant: 'team', from: '2026-12-06T10:00:00.000Z', streamed: 'true', minLatencyMs: '250' });
    // Number inputs give numbers, or null when empty.
    expect(cleanFilters({ minLatencyMs: 0, minCostUsd: null })).toEqual({ minLatencyMs: '0' });
  });

  it('types booleans and numbers for the API', () => {
    expect(
      toRequestQuery({
        streamed: 'false',
        minLatencyMs: '250',
        minCostUsd: '0.01',
        status: 'error',
        user: 'a',
      }),
    ).toEqual({ streamed: false, minLatencyMs: 250, minCostUsd: 0.01, status: 'error', user: 'a' });
  });

  it('converts between the address (ISO) and datetime-local inputs (local time)', () => {
    const local = toLocalInput('2026-12-06T10:30:00.000Z');
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromLocalInput(local)).toBe('2026-12-06T10:30:00.000Z');
    expect(toLocalInput('nonsense')).toBe('');
    expect(fromLocalInput('')).toBe('');
  });

  it('has one form field for every filter, and select options the API accepts', () => {
    expect(REQUEST_FILTER_FIELDS.map((f) => f.key).sort()).toEqual([...REQUEST_FILTERS].sort());
    for (const field of REQUEST_FILTER_FIELDS.filter((f) => f.kind === 'select')) {
      for (const option of field.options ?? []) {
        expect(cleanFilters({ [field.key]: option.value })).toEqual({ [field.key]: option.value });
      }
    }
  });
});
