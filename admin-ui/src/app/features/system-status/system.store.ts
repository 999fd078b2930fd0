import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { podsForget } from '../../api/fn/system/pods-forget';
import { podsList } from '../../api/fn/system/pods-list';
import { providerHealthGet } from '../../api/fn/system/provider-health-get';
import { runtimeSettingsGet } from '../../api/fn/system/runtime-settings-get';
import { runtimeSettingsUpdate } from '../../api/fn/system/runtime-settings-update';
import { settingsTransferExport } from '../../api/fn/system/settings-transfer-export';
import { settingsTransferImport } from '../../api/fn/system/settings-transfer-import';
import { type ImportResultDto } from '../../api/models/import-result-dto';
import { type PodListResponseDto } from '../../api/models/pod-list-response-dto';
import { type PodResponseDto } from '../../api/models/pod-response-dto';
import { type ProviderHealthResponseDto } from '../../api/models/provider-health-response-dto';
import { type RuntimeSettingsResponseDto } from '../../api/models/runtime-settings-response-dto';
import { type SettingsExportDto } from '../../api/models/settings-export-dto';
import { type UpdateRuntimeSettingsDto } from '../../api/models/update-runtime-settings-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** A document read for import, with what the dry run said about it (shown before applying). */
export interface ImportPreview {
  document: Record<string, unknown>;
  passphrase: string | undefined;
  result: ImportResultDto;
}

/** The System page: pods from their heartbeats, provider health, runtime settings, export/import. */
@Injectable()
export class SystemStore {
  private readonly api = inject(Api);

  readonly pods$ = new AsyncTask();
  readonly health$ = new AsyncTask();
  readonly podAction$ = new AsyncTask();
  readonly settings$ = new AsyncTask();
  readonly saveSettings$ = new AsyncTask();
  readonly export$ = new AsyncTask();
  readonly import$ = new AsyncTask();

  readonly pods = signal<PodListResponseDto | null>(null);
  readonly health = signal<ProviderHealthResponseDto | null>(null);
  readonly settings = signal<RuntimeSettingsResponseDto | null>(null);
  readonly preview = signal<ImportPreview | null>(null);
  readonly applied = signal<ImportResultDto | null>(null);

  async loadPods(): Promise<void> {
    const result = await this.pods$.run(() => this.api.invoke(podsList));
    if (result.ok) this.pods.set(result.value);
  }

  async loadHealth(): Promise<void> {
    const result = await this.health$.run(() => this.api.invoke(providerHealthGet));
    if (result.ok) this.health.set(result.value);
  }

  /** Forgets a stale or stopped pod (the server refuses a live one). */
  async forget(pod: PodResponseDto): Promise<TaskResult<void>> {
    const result = await this.podAction$.run(() => this.api.invoke(podsForget, { id: pod.id }));
    if (result.ok) await this.loadPods();
    return result;
  }

  async loadSettings(): Promise<void> {
    const result = await this.settings$.run(() => this.api.invoke(runtimeSettingsGet));
    if (result.ok) this.settings.set(result.value);
  }

  async saveSettings(body: UpdateRuntimeSettingsDto): Promise<TaskResult<RuntimeSettingsResponseDto>> {
    const result = await this.saveSettings$.run(() => this.api.invoke(runtimeSettingsUpdate, { body }));
    if (result.ok) this.settings.set(result.value);
    return result;
  }

  /** The configuration document; secrets encrypted under the passphrase, or left out without one. */
  async export(passphrase: string | undefined): Promise<TaskResult<SettingsExportDto>> {
    return this.export$.run(() =>
      this.api.invoke(settingsTransferExport, passphrase ? { 'x-prism-passphrase': passphrase } : {}),
    );
  }

  /** Validates the document on the server and keeps the diff; nothing changes yet. */
  async previewImport(document: Record<string, unknown>, passphrase: string | undefined): Promise<boolean> {
    this.preview.set(null);
    this.applied.set(null);
    const result = await this.import$.run(() =>
      this.api.invoke(settingsTransferImport, { dryRun: true, body: importBody(document, passphrase) }),
    );
    if (result.ok) this.preview.set({ document, passphrase, result: result.value });
    return result.ok;
  }

  /** Applies the previewed document (validated again by the server; a bad entry changes nothing). */
  async applyImport(): Promise<boolean> {
    const preview = this.preview();
    if (!preview) return false;
    const result = await this.import$.run(() =>
      this.api.invoke(settingsTransferImport, {
        dryRun: false,
        body: importBody(preview.document, preview.passphrase),
      }),
    );
    if (!result.ok) return false;
    this.preview.set(null);
    this.applied.set(result.value);
    return true;
  }

  discardPreview(): void {
    this.preview.set(null);
    this.import$.clear();
  }
}

function importBody(document: Record<string, unknown>, passphrase: string | undefined) {
  return passphrase ? { document, passphrase } : { document };
}
