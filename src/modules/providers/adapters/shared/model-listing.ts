import {
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  type DiscoveredModel,
  type ListModelsOptions,
  type ProbeStep,
  type ProviderConnection,
} from '../provider-adapter';
import { parseJson } from './model-list.parsers';
import {
  elapsedSince,
  listingError,
  modelCount,
  stepFromNetworkError,
  stepFromStatus,
  withTimeout,
} from './probe-steps';
import type { UpstreamHttp } from './upstream-http';

/** Model lists can be long (OpenRouter); anything beyond this is cut and fails to parse. */
const MAX_LIST_BYTES = 20 * 1024 * 1024;

/** One way to list a provider's models: a GET and the parser of its answer. */
export interface ListingAttempt {
  action: string;
  /** Path from the provider's origin, query included. */
  path: string;
  /** The models in the answer, or undefined when it is not such a list. */
  parser: (body: unknown) => DiscoveredModel[] | undefined;
  /** The API path this attempt tests (stored on the provider when it answers). */
  apiPath?: string;
}

export interface ListingSuccess {
  models: DiscoveredModel[];
  attempt: ListingAttempt;
}

/**
 * Tries the attempts in order until one answers with a model list, logging every request. Stops
 * early when the credentials are rejected or nothing answers at all (other paths on the same host
 * will not help), and then throws an UpstreamError describing the last step.
 */
export async function listByAttempts(
  http: UpstreamHttp,
  conn: ProviderConnection,
  attempts: readonly ListingAttempt[],
  opts: ListModelsOptions = {},
): Promise<ListingSuccess> {
  let last: ProbeStep | undefined;
  for (const attempt of opts.firstAttemptOnly ? attempts.slice(0, 1) : attempts) {
    const { step, models } = await runAttempt(http, conn, attempt, opts);
    opts.log?.(step);
    if (models) return { models, attempt };
    last = step;
    if (step.cause === 'auth' || step.status === undefined) break;
  }
  throw listingError(conn.slug, last);
}

/** One listing GET through the provider's dispatcher (proxy, TLS and SSRF guard as for every call). */
async function runAttempt(
  http: UpstreamHttp,
  conn: ProviderConnection,
  attempt: ListingAttempt,
  opts: ListModelsOptions,
): Promise<{ step: ProbeStep; models?: DiscoveredModel[] }> {
  const timeoutMs = opts.timeoutMs ?? conn.options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const step: ProbeStep = {
    action: attempt.action,
    method: 'GET',
    url: attempt.path,
    ok: false,
    message: '',
  };
  const started = performance.now();
  let status: number;
  let text: string;
  try {
    const endpoint = http.endpointFor(conn);
    step.url = endpoint.origin + attempt.path;
    const response = await endpoint.dispatcher.request({
      origin: endpoint.origin,
      path: attempt.path,
      method: 'GET',
      headers: { ...endpoint.headers, accept: 'application/json' },
      signal: withTimeout(opts.signal, timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    status = response.statusCode;
    text = await readCapped(response.body, MAX_LIST_BYTES);
  } catch (error) {
    return { step: stepFromNetworkError(step, error, timeoutMs) };
  }
  const answered: ProbeStep = { ...step, status, latencyMs: elapsedSince(started) };
  const body = parseJson(text);
  if (status < 200 || status >= 300) return { step: stepFromStatus(answered, status, body, text) };
  const models = attempt.parser(body);
  if (!models) {
    const message = /^\s*</.test(text)
      ? 'Answered with HTML, not a model list (a web page or a proxy login?)'
      : 'Answered, but not with a model list';
    return { step: { ...answered, cause: 'bad_response', message } };
  }
  return { step: { ...answered, ok: true, message: `${modelCount(models.length)} listed` }, models };
}

/** The body as text, cut after `limit` bytes (a listing only needs a well-formed start). */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  limit: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
