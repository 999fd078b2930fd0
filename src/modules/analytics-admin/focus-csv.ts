import type { RequestLogRecord } from '../analytics/request-log.schema';

/**
 * The FinOps FOCUS 1.x columns of the export (https://focus.finops.org): one row per request,
 * priced by the gateway. Columns starting with `x_` are FOCUS extension columns.
 */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ConsumedQuantity',
  'ConsumedUnit',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'ServiceCategory',
  'ServiceName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'SubAccountId',
  'SubAccountName',
  'Tags',
  'x_RequestId',
  'x_InputTokens',
  'x_OutputTokens',
  'x_BaselineCost',
] as const;

const HOUR_MS = 3_600_000;
const CHUNK_CHARS = 64 * 1024;

export const FOCUS_HEADER = `${FOCUS_COLUMNS.join(',')}\n`;

/** One CSV line (with its newline) for a request; null for rows without a tenant (refused before auth). */
export function focusLine(log: RequestLogRecord): string | null {
  if (!log.tenantId) return null;
  const time = log.timestamp.getTime();
  const hour = time - (time % HOUR_MS);
  const month = new Date(Date.UTC(log.timestamp.getUTCFullYear(), log.timestamp.getUTCMonth(), 1));
  const nextMonth = new Date(Date.UTC(log.timestamp.getUTCFullYear(), log.timestamp.getUTCMonth() + 1, 1));
  const model = log.routedModel ?? log.requestedModel ?? '';
  const cost = money(log.costUsd ?? 0);
  const tokens = (log.inputTokens ?? 0) + (log.outputTokens ?? 0);
  const tags: Record<string, string> = {};
  if (log.category) tags.category = log.category;
  if (log.tier) tags.tier = log.tier;
  if (log.user) tags.user = log.user;
  if (log.keyPrefix) tags.key = log.keyPrefix;
  const provider = log.providerSlug ?? '';
  const values: (string | number)[] = [
    cost,
    cost,
    cost,
    cost,
    'USD',
    month.toISOString(),
    nextMonth.toISOString(),
    new Date(hour).toISOString(),
    new Date(hour + HOUR_MS).toISOString(),
    'Usage',
    '',
    `${log.endpoint ?? 'chat'} request to ${model || 'unknown model'}`,
    'Usage-Based',
    tokens,
    'Tokens',
    tokens,
    'Tokens',
    'Model Prism',
    provider,
    provider,
    'AI and Machine Learning',
    'Model Prism LLM Gateway',
    model,
    model,
    'Model',
    log.tenantId,
    log.tenantSlug ?? '',
    JSON.stringify(tags),
    log.requestId,
    log.inputTokens ?? 0,
    log.outputTokens ?? 0,
    money(log.baselineCostUsd ?? 0),
  ];
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(values[i]!);
  return `${line}\n`;
}

/** The whole file, in chunks of ~64 KB, pulled row by row from `rows` (never buffered whole). */
export async function* focusCsv(rows: AsyncIterable<RequestLogRecord>): AsyncGenerator<string> {
  let chunk = FOCUS_HEADER;
  for await (const row of rows) {
    const line = focusLine(row);
    if (line === null) continue;
    chunk += line;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** USD with the gateway's precision (8 decimals), never in exponent notation. */
function money(usd: number): string {
  return usd.toFixed(8).replace(/\.?0+$/, '') || '0';
}

function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
