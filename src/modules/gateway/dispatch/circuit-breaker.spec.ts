import { CircuitBreakers } from './circuit-breaker';

describe('CircuitBreakers', () => {
  const settings = { failureThreshold: 3, windowMs: 60_000, cooldownMs: 10_000, halfOpenProbes: 1 };

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

  it('starts the count again when failures are further apart than the window', () => {
    const breakers = new CircuitBreakers({ ...settings, windowMs: 1_000 });
    breakers.failure('k', 'call', 0);
    breakers.failure('k', 'call', 500);
    breakers.failure('k', 'call', 1_600);
    expect(breakers.state('k', 1_600)).toBe('closed');
    breakers.failure('k', 'call', 1_700);
    breakers.failure('k', 'call', 1_800);
    expect(breakers.state('k', 1_800)).toBe('open');
  });

  it('tells its listener about failures and recoveries, never about healthy calls', () => {
    const breakers = new CircuitBreakers(settings);
    const events: string[] = [];
    breakers.events = {
      failed: (key, opened, at) => events.push(`failed ${key} ${opened} ${at}`),
      recovered: (key, closed) => events.push(`recovered ${key} ${closed}`),
    };
    breakers.success('k');
    breakers.failure('k', 'call', 1);
    breakers.success('k');
    for (let i = 0; i < 3; i++) breakers.failure('k', 'call', 10);
    breakers.acquire('k', 20_000);
    breakers.success('k');
    expect(events).toEqual([
      'failed k false 1',
      'recovered k false',
      'failed k false 10',
      'failed k false 10',
      'failed k true 10',
      'recovered k true',
    ]);
  });

  it('applies openings and closings announced by other pods', () => {
    const breakers = new CircuitBreakers(settings);
    breakers.openFromPeer('k', 1_000, 1_000);
    expect(breakers.acquire('k', 5_000)).toBe(false);
    expect(breakers.retryInMs('k', 5_000)).toBe(6_000);
    expect(breakers.acquire('k', 11_000)).toBe('probe');
    // a probe running here is not cut short by an older announcement
    breakers.openFromPeer('k', 10_500, 11_001);
    expect(breakers.state('k', 11_002)).toBe('half_open');
    breakers.closeFromPeer('k');
    expect(breakers.acquire('k', 11_003)).toBe('call');
    // an announcement older than the cooldown changes nothing
    breakers.openFromPeer('x', 0, 20_000);
    expect(breakers.state('x', 20_000)).toBe('closed');
  });

  it('waits when another pod holds the cluster probe lease, and probes alone when Redis fails', async () => {
    const breakers = new CircuitBreakers(settings);
    const leases: boolean[] = [false, true];
    breakers.events = {
      failed: () => undefined,
      recovered: () => undefined,
      claimProbe: () => {
        const next = leases.shift();
        return next === undefined ? Promise.reject(new Error('redis down')) : Promise.resolve(next);
      },
    };
    for (let i = 0; i < 3; i++) breakers.failure('k', 'call', 0);
    expect(breakers.acquire('k', 10_000)).toBe('probe');
    expect(await breakers.claimProbe('k', 10_000)).toBe(false);
    // back to open for PROBE_LEASE_RETRY_MS, then it asks again
    expect(breakers.acquire('k', 10_500)).toBe(false);
    expect(breakers.acquire('k', 11_000)).toBe('probe');
    expect(await breakers.claimProbe('k', 11_000)).toBe(true);
    breakers.failure('k', 'probe', 11_100);
    expect(breakers.acquire('k', 21_100)).toBe('probe');
    expect(await breakers.claimProbe('k', 21_100)).toBe(true);
  });
});
