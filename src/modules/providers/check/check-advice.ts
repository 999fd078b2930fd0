import type { ProbeCause, ProbeStep } from '../adapters/provider-adapter';
import type { ProviderType } from '../provider.types';

/**
 * What to tell an admin after a connection check, from the steps the adapter logged: the message
 * and, where one helps, a suggestion (and a corrected base URL). Pure: the one extra call the
 * advice may need (the same listing over https) is made by the caller, see {@link wantsHttpsRetry}.
 */

export interface Advice {
  message: string;
  suggestion?: string;
  suggestedBaseUrl?: string;
}

interface AdvisedProvider {
  type: ProviderType;
  baseUrl: string;
}

/** Causes after which the same host over https may be what was meant. */
const CONNECTION_FAILURES: readonly (ProbeCause | undefined)[] = ['refused', 'reset', 'network'];

/**
 * The listing requests are the GETs (the Azure chat test is a POST): the status of the last one
 * that got an answer, or, when none did, the network cause of the first.
 */
function listingOutcome(steps: readonly ProbeStep[]): { lastStatus?: number; networkCause?: ProbeCause } {
  const listing = steps.filter((step) => step.method === 'GET');
  const lastStatus = listing.findLast((step) => step.status !== undefined)?.status;
  if (lastStatus !== undefined) return { lastStatus };
  return { networkCause: listing.find((step) => step.status === undefined)?.cause };
}

/** True when an `http://` provider failed at connection level: the caller lists once over https. */
export function wantsHttpsRetry(provider: AdvisedProvider, steps: readonly ProbeStep[]): boolean {
  if (!provider.baseUrl.startsWith('http://') || provider.type === 'bedrock') return false;
  if (steps.some((step) => step.cause === 'config' || step.cause === 'auth')) return false;
  return CONNECTION_FAILURES.includes(listingOutcome(steps).networkCause);
}

/** The https variant of an `http://` base URL. */
export function httpsVariant(baseUrl: string): string {
  return 'https://' + baseUrl.slice('http://'.length);
}

/**
 * The advice after a failed listing. `httpsAnswered`: the https retry got an HTTP answer (only
 * asked when {@link wantsHttpsRetry} said so).
 */
export function failureAdvice(
  provider: AdvisedProvider,
  steps: readonly ProbeStep[],
  timeoutMs: number,
  httpsAnswered = false,
): Advice {
  if (steps.some((s) => s.cause === 'config')) {
    return {
      message: 'Not checked: configuration incomplete',
      suggestion:
        'Set an AWS access key and secret for this provider (or use the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables).',
    };
  }
  if (steps.some((s) => s.cause === 'auth')) {
    return {
      message: 'The provider rejected the credentials',
      suggestion: 'Check the API key (and for Azure/Anthropic that the auth type is "api_key").',
    };
  }
  const { lastStatus, networkCause } = listingOutcome(steps);
  const network = networkAdvice(provider, networkCause, timeoutMs, httpsAnswered);
  if (network) return network;
  if (
    steps.every((s) => s.cause === 'not_found' || s.status !== undefined) &&
    steps.some((s) => s.cause === 'not_found')
  ) {
    return notFoundAdvice(provider.baseUrl);
  }
  if (steps.some((s) => s.cause === 'bad_response')) {
    return {
      message: 'The server answered, but not like an LLM API',
      suggestion: 'Check the base URL and the provider type.',
    };
  }
  return { message: lastStatus ? `The provider answered HTTP ${lastStatus}` : 'The check failed' };
}

function networkAdvice(
  provider: AdvisedProvider,
  cause: ProbeCause | undefined,
  timeoutMs: number,
  httpsAnswered: boolean,
): Advice | undefined {
  switch (cause) {
    case 'dns':
      return {
        message: 'The host name does not resolve',
        suggestion: 'Check the base URL for typos; behind a corporate proxy set the HTTP proxy option.',
      };
    case 'tls':
      return {
        message: 'TLS handshake failed',
        suggestion:
          'The certificate is not trusted: install the issuing CA on the pods, or enable "skip TLS verification" for this provider (in-house endpoints only).',
      };
    case 'timeout':
      return {
        message: 'The provider did not answer in time',
        suggestion: `Nothing answered within ${timeoutMs} ms: check firewalls, the proxy option, or whether the service is up.`,
      };
    case 'proxy':
      return {
        message: 'The HTTP proxy failed',
        suggestion: 'Check the proxy URL and that the proxy allows this host.',
      };
    case 'refused':
    case 'reset':
    case 'network':
      if (httpsAnswered) {
        return {
          message: 'The server does not speak plain http',
          suggestion: 'Use https:// in the base URL.',
          suggestedBaseUrl: httpsVariant(provider.baseUrl),
        };
      }
      return {
        message: cause === 'refused' ? 'Connection refused' : 'The connection failed',
        suggestion:
          'Nothing usable listens at this address: check host and port, and that the service is running.',
      };
    case undefined:
    case 'auth':
    case 'not_found':
    case 'http':
    case 'bad_response':
    case 'config':
      return undefined;
  }
}

function notFoundAdvice(baseUrl: string): Advice {
  const base = baseUrl.replace(/\/+$/, '');
  const endpoint = /\/(chat\/completions|completions|models|messages)$/.exec(base);
  if (endpoint) {
    return {
      message: 'No model list found',
      suggestion: `The base URL points at an endpoint (/${endpoint[1]}): use the server root instead.`,
      suggestedBaseUrl: base.slice(0, -endpoint[0].length),
    };
  }
  return {
    message: 'No model list found under the base URL',
    suggestion:
      'Check the base URL: it should be the server root (e.g. https://host or https://host/openai for a path-mounted gateway).',
  };
}

/** After a successful listing: a base URL ending in `/v1` works only because the API path is empty. */
export function successAdvice(baseUrl: string, apiPath: string | undefined): Omit<Advice, 'message'> {
  const base = baseUrl.replace(/\/+$/, '');
  const match = /^(.*?)(\/(?:api\/)?v1)$/.exec(base);
  if (match && apiPath === '' && match[1]) {
    return {
      suggestion: `The base URL ends in ${match[2]}: drop the trailing ${match[2]} (Model Prism adds the API path itself). It works as is because the API path was set to empty.`,
      suggestedBaseUrl: match[1],
    };
  }
  return {};
}
