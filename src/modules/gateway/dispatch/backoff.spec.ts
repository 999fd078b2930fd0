import { backoffDelayMs, DEFAULT_RETRY_SETTINGS } from './backoff';

describe('backoffDelayMs', () => {
  const settings = { ...DEFAULT_RETRY_SETTINGS, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

  it('doubles per round with jitter between half and one and a half times', () => {
    expect(backoffDelayMs(1, settings, undefined, () => 0)).toBe(50);
    expect(backoffDelayMs(1, settings, undefined, () => 0.999)).toBe(150);
    expect(backoffDelayMs(3, settings, undefined, () => 0.5)).toBe(400);
    expect(backoffDelayMs(10, settings, undefined, () => 0.5)).toBe(1000);
  });

  it('waits at least as long as the upstream asked', () => {
    expect(backoffDelayMs(1, settings, 2, () => 0.5)).toBe(2000);
    expect(backoffDelayMs(1, settings, 0.01, () => 0.5)).toBe(100);
  });

  it('does not hold a request for a Retry-After beyond the limit', () => {
    expect(backoffDelayMs(1, settings, 30, () => 0.5)).toBeUndefined();
  });
});
