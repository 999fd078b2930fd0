import { EventEmitter } from 'node:events';

import type { AppConfig } from '../../core/config/app-config';
import { ConfigChangeBus } from './config-change.bus';
import { type ChangeStreamLike, ConfigStateStore, type ScopeVersions } from './config-state.store';

class FakeStream extends EventEmitter implements ChangeStreamLike {
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** In-memory stand-in for the shared version document (what another pod would bump). */
class FakeStore extends ConfigStateStore {
  versions: ScopeVersions = {};
  stream = new FakeStream();
  constructor(private readonly replicaSet: boolean) {
    super();
  }
  async read(): Promise<ScopeVersions> {
    return { ...this.versions };
  }
  async bump(scopes: readonly string[]): Promise<ScopeVersions> {
    for (const s of scopes) this.versions[s] = (this.versions[s] ?? 0) + 1;
    return { ...this.versions };
  }
  async supportsChangeStreams(): Promise<boolean> {
    return this.replicaSet;
  }
  watch(): ChangeStreamLike {
    return this.stream;
  }
}

const config = { configPollIntervalMs: 50 } as AppConfig;
const flush = () => new Promise((r) => setImmediate(r));

async function boot(store: FakeStore): Promise<ConfigChangeBus> {
  const bus = new ConfigChangeBus(store, config);
  await bus.onModuleInit();
  await bus.onApplicationBootstrap();
  return bus;
}

describe('ConfigChangeBus', () => {
  afterEach(() => jest.useRealTimers());

  it('notifies local subscribers of the published scope before publish resolves', async () => {
    const bus = await boot(new FakeStore(false));
    const seen: string[][] = [];
    bus.subscribe(['tenants'], (scopes) => void seen.push(scopes));
    bus.subscribe(['providers'], () => {
      throw new Error('not subscribed to tenants');
    });
    await bus.publish('tenants');
    expect(seen).toEqual([['tenants']]);
    await bus.onApplicationShutdown();
  });

  it('on a replica set, reacts to a change stream event caused by another pod', async () => {
    const store = new FakeStore(true);
    const bus = await boot(store);
    expect(bus.propagationMode).toBe('change-stream');
    const seen: string[][] = [];
    bus.subscribe(['api-keys', 'tenants'], (scopes) => void seen.push(scopes));

    await store.bump(['api-keys']); // another pod disabled a key
    store.stream.emit('change');
    await flush();
    await flush();
    expect(seen).toEqual([['api-keys']]);

    await bus.onApplicationShutdown();
    expect(store.stream.closed).toBe(true);
  });

  it('falls back to polling when the change stream fails', async () => {
    const store = new FakeStore(true);
    const bus = await boot(store);
    store.stream.emit('error', new Error('stream closed'));
    expect(bus.propagationMode).toBe('polling');
    await bus.onApplicationShutdown();
  });

  it('polls the version document when change streams are unavailable', async () => {
    jest.useFakeTimers();
    const store = new FakeStore(false);
    const bus = await boot(store);
    expect(bus.propagationMode).toBe('polling');
    const seen: string[][] = [];
    bus.subscribe(['providers'], (scopes) => void seen.push(scopes));

    await store.bump(['providers']);
    expect(seen).toEqual([]);
    await jest.advanceTimersByTimeAsync(60);
    expect(seen).toEqual([['providers']]);

    await jest.advanceTimersByTimeAsync(60);
    expect(seen).toHaveLength(1); // unchanged versions do not re-notify
    await bus.onApplicationShutdown();
  });

  it('keeps notifying other listeners when one cache fails to reload', async () => {
    const bus = await boot(new FakeStore(false));
    let reloaded = false;
    bus.subscribe(['models'], async () => {
      throw new Error('boom');
    });
    bus.subscribe(['models'], () => {
      reloaded = true;
    });
    await expect(bus.publish('models')).resolves.toBeUndefined();
    expect(reloaded).toBe(true);
    await bus.onApplicationShutdown();
  });
});
