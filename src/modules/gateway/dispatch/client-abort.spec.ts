import { ClientAbort } from './client-abort';

describe('ClientAbort', () => {
  it('calls its listeners once on abort, not removed ones, and none added afterwards', () => {
    const abort = new ClientAbort();
    const calls: string[] = [];
    const removed = (): void => void calls.push('removed');
    abort.addEventListener('abort', () => calls.push('first'));
    abort.addEventListener('abort', removed);
    abort.addEventListener('abort', () => calls.push('second'));
    abort.removeEventListener('abort', removed);
    abort.abort();
    abort.abort();
    abort.addEventListener('abort', () => calls.push('late'));
    expect(abort.aborted).toBe(true);
    expect(calls).toEqual(['first', 'second']);
  });

  it('builds its AbortSignal only when asked, aborted with it or already aborted', () => {
    const before = new ClientAbort();
    const signal = before.signal;
    expect(signal.aborted).toBe(false);
    expect(before.signal).toBe(signal);
    before.abort();
    expect(signal.aborted).toBe(true);

    const after = new ClientAbort();
    after.abort();
    expect(after.signal.aborted).toBe(true);
  });

  it('hands adapters the light signal as `cancel` and builds `signal` only when read', () => {
    const abort = new ClientAbort();
    const options = abort.callOptions({ traceparent: 'x' });
    expect(options.cancel).toBe(abort);
    expect(options.headers).toEqual({ traceparent: 'x' });
    expect((abort as unknown as { controller?: AbortController }).controller).toBeUndefined();
    expect(options.signal).toBe(abort.signal);
  });
});
