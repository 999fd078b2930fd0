import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import {
  AppConfig,
  RUNTIME_SETTING_DEFINITIONS,
  RUNTIME_SETTING_KEYS,
  type RuntimeSettingDefinition,
  type RuntimeSettingKey,
  runtimeSettingProblem,
  type RuntimeSettings,
} from '../../../core/config';
import { ConfigChangeBus } from '../../config-sync/config-change.bus';
import { RuntimeSettingsRepository } from './runtime-settings.repository';

/** Config-change scope of the runtime settings document. */
export const RUNTIME_SETTINGS_SCOPE = 'runtime-settings';

export type RuntimeSettingSource = 'env' | 'admin';

export interface RuntimeSettingView {
  key: RuntimeSettingKey;
  value: RuntimeSettings[RuntimeSettingKey];
  source: RuntimeSettingSource;
  /** The environment's value: what the setting returns to when an admin resets it. */
  envValue: RuntimeSettings[RuntimeSettingKey];
  definition: RuntimeSettingDefinition;
}

export interface RuntimeSettingsSnapshot {
  values: RuntimeSettings;
  settings: RuntimeSettingView[];
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** `null` resets a key to its environment value. */
export type RuntimeSettingsChanges = Partial<Record<RuntimeSettingKey, unknown>>;

export class InvalidRuntimeSettings extends Error {
  constructor(readonly problems: { field: string; messages: string[] }[]) {
    super(`Invalid settings: ${problems.map((p) => `${p.field} ${p.messages.join(', ')}`).join('; ')}`);
    this.name = 'InvalidRuntimeSettings';
  }
}

type Listener = (settings: Readonly<RuntimeSettings>, previous: Readonly<RuntimeSettings>) => void;

/**
 * Cluster-wide runtime settings. The environment gives the defaults (AppConfig.runtimeDefaults);
 * a value an admin saved wins over it on every pod until reset. Reads are in-memory (`current` is
 * a frozen object replaced on change), so the gateway may read it per request. Changes travel
 * through the config-change bus: the pod that saves notifies its listeners before answering, the
 * others within their polling interval.
 */
@Injectable()
export class RuntimeSettingsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RuntimeSettingsService.name);
  private readonly listeners = new Set<Listener>();
  private overrides: Partial<RuntimeSettings> = {};
  private values: Readonly<RuntimeSettings>;
  private meta: { updatedAt: Date | null; updatedBy: string | null } = { updatedAt: null, updatedBy: null };
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: RuntimeSettingsRepository,
    private readonly bus: ConfigChangeBus,
  ) {
    this.values = Object.freeze({ ...config.runtimeDefaults });
  }

  /** Loaded in onModuleInit so every consumer's onApplicationBootstrap already sees saved values. */
  async onModuleInit(): Promise<void> {
    this.unsubscribe = this.bus.subscribe([RUNTIME_SETTINGS_SCOPE], () => this.reload());
    await this.reload();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The effective settings; cheap enough for the hot path. */
  get current(): Readonly<RuntimeSettings> {
    return this.values;
  }

  get<K extends RuntimeSettingKey>(key: K): RuntimeSettings[K] {
    return this.values[key];
  }

  /** Calls `listener` after every change of the effective values (not at registration). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): RuntimeSettingsSnapshot {
    const defaults = this.config.runtimeDefaults;
    return {
      values: { ...this.values },
      settings: RUNTIME_SETTING_KEYS.map((key) => ({
        key,
        value: this.values[key],
        source: key in this.overrides ? 'admin' : 'env',
        envValue: defaults[key],
        definition: RUNTIME_SETTING_DEFINITIONS[key],
      })),
      updatedAt: this.meta.updatedAt,
      updatedBy: this.meta.updatedBy,
    };
  }

  /** Throws InvalidRuntimeSettings (and changes nothing) when any value or combination is bad. */
  validate(changes: RuntimeSettingsChanges): void {
    const problems: { field: string; messages: string[] }[] = [];
    const next: Record<string, unknown> = { ...this.values };
    for (const [key, value] of Object.entries(changes)) {
      if (!(RUNTIME_SETTING_KEYS as string[]).includes(key)) {
        problems.push({ field: key, messages: ['is not a runtime setting'] });
        continue;
      }
      const settingKey = key as RuntimeSettingKey;
      if (value === null) {
        next[key] = this.config.runtimeDefaults[settingKey];
        continue;
      }
      if (value === undefined) continue;
      const problem = runtimeSettingProblem(settingKey, value);
      if (problem) problems.push({ field: key, messages: [problem] });
      next[key] = value;
    }
    if (
      problems.length === 0 &&
      (next.gatewayRetryBaseDelayMs as number) > (next.gatewayRetryMaxDelayMs as number)
    ) {
      problems.push({
        field: 'gatewayRetryBaseDelayMs',
        messages: ['must not exceed gatewayRetryMaxDelayMs'],
      });
    }
    if (problems.length > 0) throw new InvalidRuntimeSettings(problems);
  }

  /** Saves the changes (null = back to the environment value) and publishes them cluster-wide. */
  async update(changes: RuntimeSettingsChanges, updatedBy: string | null): Promise<RuntimeSettingsSnapshot> {
    this.validate(changes);
    const set: RuntimeSettingsChanges = {};
    const reset: RuntimeSettingKey[] = [];
    for (const [key, value] of Object.entries(changes) as [RuntimeSettingKey, unknown][]) {
      if (value === null) reset.push(key);
      else if (value !== undefined) set[key] = value;
    }
    await this.repository.update(set, reset, updatedBy);
    await this.bus.publish(RUNTIME_SETTINGS_SCOPE);
    return this.snapshot();
  }

  /** Re-reads the saved values; invalid stored values (e.g. from an older version) are ignored. */
  async reload(): Promise<void> {
    const stored = await this.repository.readStored();
    const overrides: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stored.values)) {
      if (!(RUNTIME_SETTING_KEYS as string[]).includes(key)) continue;
      const problem = runtimeSettingProblem(key as RuntimeSettingKey, value);
      if (problem) {
        this.logger.warn(`Ignoring the saved runtime setting ${key}: ${problem}`);
        continue;
      }
      overrides[key] = value;
    }
    const previous = this.values;
    this.overrides = overrides;
    this.meta = { updatedAt: stored.updatedAt, updatedBy: stored.updatedBy };
    this.values = Object.freeze({ ...this.config.runtimeDefaults, ...this.overrides });
    if (RUNTIME_SETTING_KEYS.some((key) => previous[key] !== this.values[key])) {
      for (const listener of this.listeners) {
        try {
          listener(this.values, previous);
        } catch (error) {
          this.logger.error(`A runtime settings listener failed: ${(error as Error).message}`);
        }
      }
    }
  }
}
