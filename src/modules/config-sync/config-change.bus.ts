import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';

import { AppConfig } from '../../core/config/app-config';
import { type ChangeStreamLike, ConfigStateStore, type ScopeVersions } from './config-state.store';

/** Scopes owned by the tenants and providers modules; other modules may publish their own. */
export const ConfigScope = {
  Tenants: 'tenants',
  ApiKeys: 'api-keys',
  Providers: 'providers',
  Models: 'models',
} as const;

export type ConfigChangeListener = (changedScopes: string[]) => void | Promise<void>;

interface Subscription {
  scopes: ReadonlySet<string>;
  listener: ConfigChangeListener;
}

/**
 * The `ConfigChanged` signal (DESIGN.md §2). Writers call `publish(scope)` after a successful write;
 * caches `subscribe` and reload. Within a pod listeners run before `publish` resolves, so an admin
 * response is only sent once that pod's caches are fresh. Other pods learn about it from a MongoDB
 * change stream on a replica set, else by polling the version document every
 * CONFIG_POLL_INTERVAL_MS (FerretDB and standalone servers have no change streams).
 */
@Injectable()
export class ConfigChangeBus implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConfigChangeBus.name);
  private readonly subscriptions = new Set<Subscription>();
  private known: ScopeVersions = {};
  private timer: NodeJS.Timeout | undefined;
  private stream: ChangeStreamLike | undefined;
  private checking: Promise<void> | undefined;
  private stopped = false;
  private mode: 'idle' | 'change-stream' | 'polling' = 'idle';

  constructor(
    private readonly store: ConfigStateStore,
    private readonly config: AppConfig,
  ) {}

  /** How this pod learns about other pods' changes (for health output and tests). */
  get propagationMode(): 'idle' | 'change-stream' | 'polling' {
    return this.mode;
  }

  subscribe(scopes: readonly string[], listener: ConfigChangeListener): () => void {
    const subscription: Subscription = { scopes: new Set(scopes), listener };
    this.subscriptions.add(subscription);
    return () => this.subscriptions.delete(subscription);
  }

  /** Records a change to the scopes and notifies this pod's listeners before resolving. */
  async publish(...scopes: string[]): Promise<void> {
    const versions = await this.store.bump(scopes);
    const changed = new Set(this.diff(versions));
    for (const scope of scopes) changed.add(scope);
    this.known = versions;
    await this.emit([...changed]);
  }

  /**
   * Versions are read before any cache loads (caches load in onApplicationBootstrap), so a change
   * landing in between is seen by the first poll instead of being lost.
   */
  async onModuleInit(): Promise<void> {
    this.known = await this.store.read();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (await this.store.supportsChangeStreams()) this.startChangeStream();
    else this.startPolling();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    await stream?.close().catch(() => undefined);
    await this.checking;
  }

  /** Reads the version document and notifies listeners of scopes changed elsewhere. */
  checkForChanges(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    try {
      const versions = await this.store.read();
      const changed = this.diff(versions);
      this.known = versions;
      if (changed.length > 0) await this.emit(changed);
    } catch (error) {
      this.logger.warn(`Config change check failed: ${(error as Error).message}`);
    }
  }

  private startChangeStream(): void {
    try {
      const stream = this.store.watch();
      stream.on('change', () => void this.checkForChanges());
      stream.on('error', (error: Error) => {
        if (this.stopped) return;
        this.logger.warn(`Config change stream failed (${error.message}); falling back to polling`);
        this.stream = undefined;
        void stream.close().catch(() => undefined);
        this.startPolling();
      });
      this.stream = stream;
      this.mode = 'change-stream';
    } catch (error) {
      this.logger.warn(`Cannot open a config change stream (${(error as Error).message}); polling`);
      this.startPolling();
    }
  }

  private startPolling(): void {
    if (this.stopped || this.timer) return;
    this.mode = 'polling';
    this.timer = setInterval(() => void this.checkForChanges(), this.config.configPollIntervalMs);
    this.timer.unref();
  }

  private diff(versions: ScopeVersions): string[] {
    const scopes = new Set([...Object.keys(versions), ...Object.keys(this.known)]);
    return [...scopes].filter((s) => (versions[s] ?? 0) !== (this.known[s] ?? 0));
  }

  private async emit(changed: string[]): Promise<void> {
    const results = await Promise.allSettled(
      [...this.subscriptions]
        .filter((s) => changed.some((scope) => s.scopes.has(scope)))
        .map(async (s) => s.listener(changed.filter((scope) => s.scopes.has(scope)))),
    );
    for (const result of results) {
      if (result.status === 'rejected') {
        this.logger.error(
          `A config cache failed to reload: ${(result.reason as Error)?.message ?? String(result.reason)}`,
        );
      }
    }
  }
}
