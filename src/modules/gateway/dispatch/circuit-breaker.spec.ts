import { CircuitBreakers } from './circuit-breaker';

describe('CircuitBreakers', () => {
  const settings = { failureThreshold: 3, cooldownMs: 10_000, halfOpenProbes: 1 };

  it('opens after consecutive failures and refuses calls during the cooldown', () => {
    const breakers = new CircuitBreakers(settings);
    for (let i = 0; i < 3; i++) breakers.failure('p/m', breakers.acquire('p/m', 0), 0);
    expect(breakers.state('p/m', 1)).toBe('open');
    expect(breakers.acquire('p/m', 5_000)).toBe(false);
    expect(breakers.retryInMs('p/m', 5_000)).toBe(5_000);
  });

  it('a success in between resets the count', () => {
    const breakers = new CircuitBreakers(settings);
    breakers.failure('k', 'call', 0);
    breakers.failure('k', 'call', 0);
    breakers.success('k');
    breakers.failure('k', 'call', 0);
    expect(breakers.state('k', 0)).toBe('closed');
  });

  it('lets one probe through after the cooldown; success closes, failure re-opens', () => {
    const breakers = new CircuitBreakers(settings);
    for (let i = 0; i < 3; i++) breakers.failure('k', 'call', 0);
    expect(breakers.acquire('k', 10_000)).toBe('probe');
    expect(breakers.acquire('k', 10_001)).toBe(false);
    breakers.failure('k', 'probe', 10_002);
    expect(breakers.state('k', 10_003)).toBe('open');
    expect(breakers.acquire('k', 20_002)).toBe('probe');
    breakers.success('k');
    expect(breakers.acquire('k', 20_003)).toBe('call');
  });

  it('frees the probe slot when the probe ends without a verdict', () => {
    const breakers = new CircuitBreakers(settings);
    for (let i = 0; i < 3; i++) breakers.failure('k', 'call', 0);
    const permit = breakers.acquire('k', 10_000);
    breakers.release('k', permit);
    expect(breakers.acquire('k', 10_001)).toBe('probe');
  });

  it('keeps circuits independent per provider and model', () => {
    const breakers = new CircuitBreakers(settings);
    for (let i = 0; i < 3; i++) breakers.failure('a/m', 'call', 0);
    expect(breakers.acquire('b/m', 1)).toBe('call');
    expect(breakers.list(1)).toEqual([{ key: 'a/m', state: 'open', failures: 3, retryAt: 10_000 }]);
  });
});
