import { UpstreamError } from '../provider-adapter';
import {
  classifyNetworkError,
  listingError,
  modelCount,
  readableErrorMessage,
  stepFromFailure,
  stepFromStatus,
} from './probe-steps';

const step = { action: 'List models', method: 'GET', url: 'http://h/v1/models', ok: false, message: '' };

describe('probe steps', () => {
  it('classifies network failures by cause', () => {
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' })).cause).toBe('dns');
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).cause).toBe(
      'refused',
    );
    expect(
      classifyNetworkError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' })).cause,
    ).toBe('timeout');
    expect(classifyNetworkError(new DOMException('The operation timed out', 'TimeoutError')).cause).toBe(
      'timeout',
    );
    expect(
      classifyNetworkError(
        Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      ).cause,
    ).toBe('tls');
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' })).cause).toBe('reset');
    expect(classifyNetworkError(new Error('weird')).cause).toBe('network');
  });

  it('extracts the error message of each vendor shape, on one line and shortened', () => {
    expect(readableErrorMessage({ error: { message: 'bad key' } }, '')).toBe('bad key');
    expect(readableErrorMessage({ type: 'error', error: { type: 'x', message: 'overloaded' } }, '')).toBe(
      'overloaded',
    );
    expect(readableErrorMessage({ message: 'AccessDenied' }, '')).toBe('AccessDenied');
    expect(readableErrorMessage({ Message: 'Bedrock says no' }, '')).toBe('Bedrock says no');
    expect(readableErrorMessage(undefined, 'two\n  lines')).toBe('two lines');
    expect(readableErrorMessage(undefined, 'x'.repeat(1000))).toHaveLength(300);
    expect(readableErrorMessage(undefined, '')).toBe('no details');
  });

  it('names rejected credentials, missing routes and other HTTP answers', () => {
    expect(stepFromStatus(step, 401, { error: { message: 'bad key' } }, '')).toMatchObject({
      cause: 'auth',
      status: 401,
      message: 'Credentials rejected (HTTP 401): bad key',
    });
    expect(stepFromStatus(step, 404, undefined, '')).toMatchObject({ cause: 'not_found' });
    expect(stepFromStatus(step, 502, undefined, 'bad gateway')).toMatchObject({
      cause: 'http',
      message: 'HTTP 502: bad gateway',
    });
  });

  it('turns an SDK adapter failure into a step', () => {
    const denied = new UpstreamError('auth', 'denied', 403, undefined, { message: 'AccessDenied' });
    expect(stepFromFailure(step, denied, 12, 1000)).toMatchObject({
      cause: 'auth',
      status: 403,
      latencyMs: 12,
    });
    expect(stepFromFailure(step, new UpstreamError('timeout', 't'), 5, 1000)).toMatchObject({
      cause: 'timeout',
      message: 'No answer within 1000 ms',
    });
    const refused = new UpstreamError('connect', "Cannot reach provider 'x': ECONNREFUSED");
    expect(stepFromFailure(step, refused, 5, 1000).cause).toBe('refused');
  });

  it('throws a failed listing as an UpstreamError of the matching kind', () => {
    expect(listingError('p', { ...step, cause: 'auth', status: 401 }).kind).toBe('auth');
    expect(listingError('p', { ...step, cause: 'http', status: 503 }).kind).toBe('server');
    expect(listingError('p', { ...step, cause: 'refused' }).kind).toBe('connect');
    expect(listingError('p', undefined).message).toContain('no answer');
    expect(modelCount(1)).toBe('1 model');
    expect(modelCount(2)).toBe('2 models');
  });
});
