import { PodActivity } from './pod-activity.service';

describe('PodActivity upstream counts', () => {
  // upstreamActivity() reads the last 15 minutes before the real clock.
  const now = Date.now();

  it('counts each provider model apart, in runs and alternating', () => {
    const activity = new PodActivity();
    for (const [provider, model, ok] of [
      ['openai', 'a', true],
      ['openai', 'a', false],
      ['azure', 'a', true],
      ['openai', 'a', true],
      ['openai', 'b', true],
    ] as const) {
      activity.countUpstream(provider, model, ok, 10, now);
    }
    const byKey = Object.fromEntries(
      activity.upstreamActivity().map((u) => [`${u.provider}/${u.model}`, [u.calls, u.failures]]),
    );
    expect(byKey).toEqual({ 'openai/a': [3, 1], 'azure/a': [1, 0], 'openai/b': [1, 0] });
  });

  it('keeps counting a model that comes back after the oldest models were forgotten (500 at most)', () => {
    const activity = new PodActivity();
    for (let i = 0; i < 501; i++) activity.countUpstream('p', `m${i}`, true, 1, now);
    // m0 was forgotten when m500 arrived; m500 (the last one counted) is still counted.
    activity.countUpstream('p', 'm500', true, 1, now);
    activity.countUpstream('p', 'm0', true, 1, now);
    const calls = new Map(activity.upstreamActivity().map((u) => [u.model, u.calls]));
    expect(calls.size).toBe(500);
    expect(calls.get('m500')).toBe(2);
    expect(calls.get('m0')).toBe(1);
    expect(calls.has('m1')).toBe(false);
  });
});
