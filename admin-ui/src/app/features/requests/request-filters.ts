import { type RequestsList$Params } from '../../api/fn/analytics/requests-list';

/** The filters of the request log, as strings (they live in the page address). */
export const REQUEST_FILTERS = [
  'from',
  'to',
  'tenant',
  'status',
  'requestedModel',
  'routedModel',
  'provider',
  'category',
  'tier',
  'user',
  'session',
  'keyPrefix',
  'requestId',
  'errorType',
  'streamed',
  'minLatencyMs',
  'minCostUsd',
] as const;
export type RequestFilterKey = (typeof REQUEST_FILTERS)[number];
export type RequestFilters = Partial<Record<RequestFilterKey, string>>;
export type RequestQuery = Omit<RequestsList$Params, 'cursor' | 'limit'>;

const STATUSES = ['ok', 'error', 'aborted', 'failed'] as const;

/** How one filter is entered in the form; the page renders the list in this order. */
export interface RequestFilterField {
  key: RequestFilterKey;
  label: string;
  /** `when`: a local date and time; `select`: `options` plus "Any" (the empty value). */
  kind: 'text' | 'when' | 'number' | 'select';
  hint?: string;
  placeholder?: string;
  /** Of a number input. */
  step?: string;
  options?: readonly { value: string; label: string }[];
}

/** The filter form, one entry a field ("Any" = the empty value of a select). */
export const REQUEST_FILTER_FIELDS: readonly RequestFilterField[] = [
  { key: 'from', label: 'From', kind: 'when', hint: 'default: 24 h before “to”' },
  { key: 'to', label: 'To', kind: 'when', hint: 'default: now' },
  {
    key: 'status',
    label: 'Status',
    kind: 'select',
    options: [
      { value: 'ok', label: 'Succeeded' },
      { value: 'error', label: 'Failed' },
      { value: 'aborted', label: 'Aborted' },
      { value: 'failed', label: 'Failed or aborted' },
    ],
  },
  { key: 'tenant', label: 'Tenant', kind: 'text', placeholder: 'slug or id' },
  { key: 'requestedModel', label: 'Requested model', kind: 'text' },
  { key: 'routedModel', label: 'Routed model', kind: 'text' },
  { key: 'provider', label: 'Provider', kind: 'text' },
  { key: 'category', label: 'Category', kind: 'text' },
  { key: 'tier', label: 'Tier', kind: 'text' },
  { key: 'user', label: 'User', kind: 'text' },
  { key: 'session', label: 'Session', kind: 'text' },
  { key: 'keyPrefix', label: 'Key prefix', kind: 'text' },
  { key: 'requestId', label: 'Request id', kind: 'text' },
  { key: 'errorType', label: 'Error type', kind: 'text' },
  {
    key: 'streamed',
    label: 'Streamed',
    kind: 'select',
    options: [
      { value: 'true', label: 'Streamed' },
      { value: 'false', label: 'Not streamed' },
    ],
  },
  { key: 'minLatencyMs', label: 'Min. latency (ms)', kind: 'number', step: '1' },
  { key: 'minCostUsd', label: 'Min. cost (USD)', kind: 'number', step: 'any' },
];

/** Whether a filter's (trimmed) value is one the API accepts; others are dropped, not sent. */
function valid(key: RequestFilterKey, value: string): boolean {
  switch (key) {
    case 'from':
    case 'to':
      return !Number.isNaN(Date.parse(value));
    case 'streamed':
      return value === 'true' || value === 'false';
    case 'minLatencyMs':
    case 'minCostUsd':
      return /^\d+(\.\d+)?$/.test(value);
    case 'status':
      return (STATUSES as readonly string[]).includes(value);
    case 'tenant':
    case 'requestedModel':
    case 'routedModel':
    case 'provider':
    case 'category':
    case 'tier':
    case 'user':
    case 'session':
    case 'keyPrefix':
    case 'requestId':
    case 'errorType':
      return true;
  }
}

/** Only known, non-empty, well-formed filters, so the address and the API query carry nothing else. */
export function cleanFilters(raw: Record<string, unknown>): RequestFilters {
  const filters: RequestFilters = {};
  for (const key of REQUEST_FILTERS) {
    // Number inputs give numbers (or null when empty); the address keeps strings.
    const input = raw[key];
    const value = typeof input === 'number' && Number.isFinite(input) ? String(input) : input;
    if (typeof value === 'string' && value.trim() && valid(key, value.trim())) filters[key] = value.trim();
  }
  return filters;
}

/** The filters as the generated client wants them (booleans and numbers typed). */
export function toRequestQuery(filters: RequestFilters): RequestQuery {
  const { streamed, minLatencyMs, minCostUsd, status, ...text } = filters;
  return {
    ...text,
    ...(status ? { status: status as RequestQuery['status'] } : {}),
    ...(streamed ? { streamed: streamed === 'true' } : {}),
    ...(minLatencyMs ? { minLatencyMs: Number(minLatencyMs) } : {}),
    ...(minCostUsd ? { minCostUsd: Number(minCostUsd) } : {}),
  };
}

/** ISO instant → the value of a `datetime-local` input (local time, minutes). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (local time) → ISO instant for the address; '' stays ''. */
export function fromLocalInput(local: string): string {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
