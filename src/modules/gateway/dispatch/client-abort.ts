import type { CancelSignal, UpstreamCallOptions } from '../../providers/adapters/provider-adapter';

/**
 * A request's cancellation (the client went away): what an AbortController does for the gateway,
 * without building an AbortSignal per request. Listeners are kept in a plain array; a real
 * AbortSignal (`signal`) is built only when something asks for one (a streamed call, an adapter
 * whose SDK takes an AbortSignal), and is aborted with it. Like an AbortSignal, a listener added
 * after the abort is not called.
 */
export class ClientAbort implements CancelSignal {
  aborted = false;
  private listeners: (() => void)[] | undefined;
  private controller: AbortController | undefined;

  /** An AbortSignal that aborts with this (built on first use). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort();
    }
    return this.controller.signal;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    this.controller?.abort();
    if (listeners) for (const listener of listeners) listener();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const index = this.listeners?.indexOf(listener) ?? -1;
    if (index >= 0) this.listeners?.splice(index, 1);
  }

  /**
   * Options for one upstream call: this as `cancel`, and `signal` built only for an adapter that
   * reads it.
   */
  callOptions(headers: Record<string, string> | undefined): UpstreamCallOptions {
    return new AbortCallOptions(this, headers);
  }
}

/**
 * `signal` is a prototype getter: an object literal with an own getter is built through V8's slow
 * path (~2 µs per call on the request path), a class instance is not.
 */
class AbortCallOptions implements UpstreamCallOptions {
  constructor(
    readonly cancel: ClientAbort,
    readonly headers: Record<string, string> | undefined,
  ) {}

  get signal(): AbortSignal {
    return this.cancel.signal;
  }
}
