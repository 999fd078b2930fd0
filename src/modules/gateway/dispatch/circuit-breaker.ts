export interface BreakerSettings {
  /** Failures (within `windowMs` of the first one) that open the circuit. */
  failureThreshold: number;
  /** Failures further apart than this do not add up: the count starts again. */
  windowMs: number;
  /** How long an open circuit refuses calls before letting probes through. */
  cooldownMs: number;
  /** Concurrent trial calls allowed while half-open (across the cluster when Redis is shared). */
  halfOpenProbes: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = {
  failureThreshold: 5,
  windowMs: 60_000,
  cooldownMs: 30_000,
  halfOpenProbes: 1,
};

export type BreakerState = 'closed' | 'open' | 'half_open';

/** What `acquire` grants: a normal call, a half-open probe, or nothing (circuit open). */
export type BreakerPermit = 'call' | 'probe' | false;

interface Circuit {
  state: BreakerState;
  failures: number;
  /** When the current run of failures began (the window starts here). */
  firstFailureAt: number;
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
 * What a circuit did on this pod, for sharing it with the other pods (SharedBreakers). Called only
 * on failures and on the first success after failures: never on the healthy hot path.
 */
export interface BreakerEvents {
  /** A failure was counted at `at`; `opened` when it opened (or re-opened) the circuit here. */
  failed(key: string, opened: boolean, at: number): void;
  /** A success reset a circuit that had counted failures; `closed` when it was open/half-open. */
  recovered(key: string, closed: boolean): void;
  /**
   * A half-open probe this pod wants to send: resolves true when it holds one of the cluster's
   * `halfOpenProbes` slots (so N pods do not send N probes to a recovering upstream).
   */
  claimProbe?(key: string): Promise<boolean>;
}

/** A pod that lost the probe lease asks again after this long (or the cooldown, if shorter). */
export const PROBE_LEASE_RETRY_MS = 1_000;

/**
 * Circuit breakers per provider+model. Closed: calls flow, failures within the window are counted.
 * Open: calls are refused until the cooldown ends. Half-open: a limited number of probes may go;
 * one success closes the circuit, one failure opens it again. The state lives in this process;
 * with Redis, SharedBreakers feeds other pods' openings and closings in (`openFromPeer`,
 * `closeFromPeer`) and hears this pod's through `events`, so decisions stay synchronous.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  private readonly current: () => BreakerSettings;

  /** Set by SharedBreakers when the state is shared across pods. */
  events: BreakerEvents | undefined;

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
    if (!circuit) return;
    this.circuits.delete(key);
    this.events?.recovered(key, circuit.state !== 'closed');
  }

  failure(key: string, permit: BreakerPermit, now: number = Date.now()): void {
    let circuit = this.circuits.get(key);
    if (!circuit) {
      circuit = { state: 'closed', failures: 0, firstFailureAt: now, openedAt: 0, probes: 0 };
      this.circuits.set(key, circuit);
    } else if (circuit.state === 'closed' && now - circuit.firstFailureAt > this.settings.windowMs) {
      circuit.failures = 0;
      circuit.firstFailureAt = now;
    }
    circuit.failures += 1;
    const opens =
      permit === 'probe' ||
      circuit.state === 'half_open' ||
      circuit.failures >= this.settings.failureThreshold;
    if (opens) {
      circuit.state = 'open';
      circuit.openedAt = now;
      circuit.probes = 0;
    }
    this.events?.failed(key, opens, now);
  }

  /**
   * With shared state, a probe granted by `acquire` must also win the cluster's probe lease. When
   * another pod holds it, the circuit here goes back to open for a moment (that pod's verdict
   * reaches every pod as a close or a fresh open). Without Redis, or when it fails, the pod decides
   * alone, as before.
   */
  async claimProbe(key: string, now: number = Date.now()): Promise<boolean> {
    const events = this.events;
    if (!events?.claimProbe) return true;
    const granted = await events.claimProbe(key).catch(() => true);
    if (!granted) this.deferProbe(key, now);
    return granted;
  }

  private deferProbe(key: string, now: number): void {
    const circuit = this.circuits.get(key);
    if (!circuit || circuit.state !== 'half_open') return;
    const cooldown = this.settings.cooldownMs;
    circuit.probes = Math.max(0, circuit.probes - 1);
    if (circuit.probes > 0) return;
    circuit.state = 'open';
    circuit.openedAt = now - cooldown + Math.min(cooldown, PROBE_LEASE_RETRY_MS);
  }

  /** A call ended without a verdict about the upstream (client went away): free its probe slot. */
  release(key: string, permit: BreakerPermit): void {
    if (permit !== 'probe') return;
    const circuit = this.circuits.get(key);
    if (circuit && circuit.probes > 0) circuit.probes -= 1;
  }

  /** Another pod opened this circuit (at `openedAt`, epoch ms): refuse calls here too. */
  openFromPeer(key: string, openedAt: number, now: number = Date.now()): void {
    const at = Math.min(openedAt, now);
    if (now - at >= this.settings.cooldownMs) return;
    const circuit = this.circuits.get(key);
    if (!circuit) {
      this.circuits.set(key, {
        state: 'open',
        failures: this.settings.failureThreshold,
        firstFailureAt: at,
        openedAt: at,
        probes: 0,
      });
      return;
    }
    // A later local opening (or a probe already running here) wins over an older message.
    if (circuit.state === 'open' && circuit.openedAt >= at) return;
    if (circuit.state === 'half_open' && circuit.probes > 0) return;
    circuit.state = 'open';
    circuit.openedAt = at;
    circuit.probes = 0;
    circuit.failures = Math.max(circuit.failures, this.settings.failureThreshold);
  }

  /** Another pod's probe succeeded: the upstream is back, close the circuit here too. */
  closeFromPeer(key: string): void {
    this.circuits.delete(key);
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
