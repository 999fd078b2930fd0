export interface BreakerSettings {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting probes through. */
  cooldownMs: number;
  /** Concurrent trial calls allowed while half-open. */
  halfOpenProbes: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = {
  failureThreshold: 5,
  cooldownMs: 30_000,
  halfOpenProbes: 1,
};

export type BreakerState = 'closed' | 'open' | 'half_open';

/** What `acquire` grants: a normal call, a half-open probe, or nothing (circuit open). */
export type BreakerPermit = 'call' | 'probe' | false;

interface Circuit {
  state: BreakerState;
  failures: number;
  openedAt: number;
  probes: number;
}

export interface BreakerStatus {
  key: string;
  state: BreakerState;
  failures: number;
  /** When an open circuit lets the next probe through (epoch ms). */
  retryAt?: number;
}

/**
 * Circuit breakers per provider+model (per pod). Closed: calls flow, consecutive failures are
 * counted. Open: calls are refused until the cooldown ends. Half-open: a limited number of probes
 * may go; one success closes the circuit, one failure opens it again.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  private readonly current: () => BreakerSettings;

  /** Settings are read on every decision, so a change applies without a restart. */
  constructor(settings: BreakerSettings | (() => BreakerSettings) = DEFAULT_BREAKER_SETTINGS) {
    this.current = typeof settings === 'function' ? settings : () => settings;
  }

  private get settings(): BreakerSettings {
    return this.current();
  }

  acquire(key: string, now: number = Date.now()): BreakerPermit {
    const circuit = this.circuits.get(key);
    if (!circuit || circuit.state === 'closed') return 'call';
    if (circuit.state === 'open') {
      if (now - circuit.openedAt < this.settings.cooldownMs) return false;
      circuit.state = 'half_open';
      circuit.probes = 0;
    }
    if (circuit.probes >= this.settings.halfOpenProbes) return false;
    circuit.probes += 1;
    return 'probe';
  }

  /** Milliseconds until an open circuit admits a probe (0 when it would now). */
  retryInMs(key: string, now: number = Date.now()): number {
    const circuit = this.circuits.get(key);
    if (!circuit || circuit.state !== 'open') return 0;
    return Math.max(0, circuit.openedAt + this.settings.cooldownMs - now);
  }

  success(key: string): void {
    const circuit = this.circuits.get(key);
    if (circuit) this.circuits.delete(key);
  }

  failure(key: string, permit: BreakerPermit, now: number = Date.now()): void {
    let circuit = this.circuits.get(key);
    if (!circuit) {
      circuit = { state: 'closed', failures: 0, openedAt: 0, probes: 0 };
      this.circuits.set(key, circuit);
    }
    circuit.failures += 1;
    if (
      permit === 'probe' ||
      circuit.state === 'half_open' ||
      circuit.failures >= this.settings.failureThreshold
    ) {
      circuit.state = 'open';
      circuit.openedAt = now;
      circuit.probes = 0;
    }
  }

  /** A call ended without a verdict about the upstream (client went away): free its probe slot. */
  release(key: string, permit: BreakerPermit): void {
    if (permit !== 'probe') return;
    const circuit = this.circuits.get(key);
    if (circuit && circuit.probes > 0) circuit.probes -= 1;
  }

  state(key: string, now: number = Date.now()): BreakerState {
    const circuit = this.circuits.get(key);
    if (!circuit) return 'closed';
    if (circuit.state === 'open' && now - circuit.openedAt >= this.settings.cooldownMs) return 'half_open';
    return circuit.state;
  }

  /** Circuits that are not plainly closed (for the admin console and metrics). */
  list(now: number = Date.now()): BreakerStatus[] {
    return [...this.circuits.entries()].map(([key, circuit]) => ({
      key,
      state: this.state(key, now),
      failures: circuit.failures,
      retryAt: circuit.state === 'open' ? circuit.openedAt + this.settings.cooldownMs : undefined,
    }));
  }
}
