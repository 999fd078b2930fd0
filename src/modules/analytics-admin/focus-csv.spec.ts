import { Types } from 'mongoose';

import type { RequestLogRecord } from '../analytics/request-log.schema';
import { FOCUS_COLUMNS, focusCsv, focusLine } from './focus-csv';

const row = (overrides: Partial<RequestLogRecord> = {}): RequestLogRecord =>
  ({
    _id: new Types.ObjectId(),
    timestamp: new Date('2026-02-27T13:45:10Z'),
    requestId: 'req-1',
    tenantId: 't1',
    tenantSlug: 'team, "one"',
    endpoint: 'chat',
    routedModel: 'gpt-x',
    providerSlug: 'openai',
    user: 'alice',
    inputTokens: 1000,
    outputTokens: 20,
    costUsd: 0.00001845,
    baselineCostUsd: 0.001,
    ...overrides,
  }) as RequestLogRecord;

async function text(rows: RequestLogRecord[]): Promise<string> {
  let out = '';
  for await (const chunk of focusCsv(
    (async function* () {
      yield* rows;
    })(),
  ))
    out += chunk;
  return out;
}

describe('FOCUS CSV', () => {
  it('writes one parseable row per request with FOCUS columns, quoting where needed', async () => {
    // (The e2e test parses whole exports with a CSV library.)
    const [header, line] = (await text([row()])).split('\n');
    expect(header!.split(',')).toEqual([...FOCUS_COLUMNS]);
    expect(line).toContain('0.00001845,0.00001845,0.00001845,0.00001845,USD,2026-02-01T00:00:00.000Z,');
    expect(line).toContain('2026-02-27T13:00:00.000Z,2026-02-27T14:00:00.000Z,Usage,');
    expect(line).toContain(
      ',gpt-x,gpt-x,Model,t1,"team, ""one""","{""user"":""alice""}",req-1,1000,20,0.001',
    );
  });

  it('leaves out requests without a tenant, and never uses exponent notation', () => {
    expect(focusLine(row({ tenantId: null }))).toBeNull();
    expect(focusLine(row({ costUsd: 1e-8 }))!.startsWith('0.00000001,')).toBe(true);
    expect(focusLine(row({ costUsd: 0 }))!.startsWith('0,')).toBe(true);
  });

  it('streams in chunks, not as one string', async () => {
    const chunks: string[] = [];
    const many = Array.from({ length: 2000 }, (_, i) => row({ requestId: `r${i}` }));
    for await (const chunk of focusCsv(
      (async function* () {
        yield* many;
      })(),
    ))
      chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('').split('\n').filter(Boolean)).toHaveLength(2001);
  });
});
