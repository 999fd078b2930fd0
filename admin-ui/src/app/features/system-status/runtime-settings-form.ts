import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  type OnInit,
  signal,
  untracked,
} from '@angular/core';
import {
  type AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';

import { type RuntimeSettingEntryDto } from '../../api/models/runtime-setting-entry-dto';
import { type UpdateRuntimeSettingsDto } from '../../api/models/update-runtime-settings-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { applyServerErrors, clearServerErrors, controlError } from '../../core/http/form-errors';
import { ErrorBanner } from '../../core/ui/error-banner';
import { SystemStore } from './system.store';

type SettingValue = number | boolean | string | null;
type SettingKey = RuntimeSettingEntryDto['key'];

function integerValidator(control: AbstractControl<SettingValue>): ValidationErrors | null {
  const value = control.value;
  return value === null || Number.isInteger(value) ? null : { message: 'Enter a whole number.' };
}

/** `gatewayRetryBaseDelayMs` → `Gateway retry base delay ms`: the key is the name the API uses. */
export function settingLabel(key: string): string {
  const words = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The cluster-wide runtime settings, one field per setting with the bounds the server sends. Only
 * changed fields are saved; "Use environment value" sends null so the environment value applies again.
 */
@Component({
  selector: 'app-runtime-settings-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTooltipModule,
    ReactiveFormsModule,
  ],
  template: `
    <app-error-banner
      [problem]="store.settings$.problem()"
      [retryable]="true"
      (retry)="store.loadSettings()"
    />
    @if (store.settings$.busy()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading runtime settings" />
    }
    @if (store.settings(); as snapshot) {
      <p class="hint">
        Saved values apply on every pod within seconds and win over the environment.
        @if (snapshot.updatedBy) {
          Last saved by {{ snapshot.updatedBy }}.
        }
      </p>
      <app-error-banner [problem]="store.saveSettings$.problem()" [extra]="unmatched()" />
      <form [formGroup]="form" (ngSubmit)="save()" novalidate aria-label="Runtime settings">
        <div class="settings-grid">
          @for (entry of snapshot.settings; track entry.key) {
            <div class="setting">
              @switch (entry.kind) {
                @case ('integer') {
                  <mat-form-field>
                    <mat-label>{{ label(entry.key) }}</mat-label>
                    <input
                      matInput
                      type="number"
                      [formControlName]="entry.key"
                      [min]="entry.min ?? null"
                      [max]="entry.max ?? null"
                      inputmode="numeric"
                    />
                    <mat-hint>{{ entry.description }} ({{ entry.min }}–{{ entry.max }})</mat-hint>
                    @if (control(entry.key).invalid) {
                      <mat-error>{{ controlError(control(entry.key), label(entry.key)) }}</mat-error>
                    }
                  </mat-form-field>
                }
                @case ('boolean') {
                  <mat-form-field>
                    <mat-label>{{ label(entry.key) }}</mat-label>
                    <mat-select [formControlName]="entry.key">
                      <mat-option [value]="true">On</mat-option>
                      <mat-option [value]="false">Off</mat-option>
                    </mat-select>
                    <mat-hint>{{ entry.description }}</mat-hint>
                    @if (control(entry.key).invalid) {
                      <mat-error>{{ controlError(control(entry.key), label(entry.key)) }}</mat-error>
                    }
                  </mat-form-field>
                }
                @case ('enum') {
                  <mat-form-field>
                    <mat-label>{{ label(entry.key) }}</mat-label>
                    <mat-select [formControlName]="entry.key">
                      @for (option of entry.allowed ?? []; track option) {
                        <mat-option [value]="option">{{ option }}</mat-option>
                      }
                    </mat-select>
                    <mat-hint>{{ entry.description }}</mat-hint>
                    @if (control(entry.key).invalid) {
                      <mat-error>{{ controlError(control(entry.key), label(entry.key)) }}</mat-error>
                    }
                  </mat-form-field>
                }
              }
              <div class="source">
                @if (entry.source === 'admin') {
                  <span>Saved value (environment {{ entry.envVar }}: {{ entry.envValue }})</span>
                  @if (canWrite()) {
                    <button
                      mat-button
                      type="button"
                      (click)="reset(entry)"
                      [disabled]="store.saveSettings$.busy()"
                      [attr.aria-label]="'Use the environment value for ' + label(entry.key)"
                    >
                      Use environment value
                    </button>
                  }
                } @else {
                  <span>From the environment ({{ entry.envVar }})</span>
                }
              </div>
            </div>
          }
        </div>
        @if (canWrite()) {
          <div class="form-actions">
            <button mat-flat-button type="submit" [disabled]="store.saveSettings$.busy()">
              Save settings
            </button>
          </div>
        }
      </form>
    }
  `,
  styleUrl: './system.scss',
})
export class RuntimeSettingsForm implements OnInit {
  protected readonly store = inject(SystemStore);
  private readonly auth = inject(AuthStore);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly controlError = controlError;
  protected readonly label = settingLabel;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly form = new FormGroup<Record<string, FormControl<SettingValue>>>({});
  /** The values as loaded, to send only what changed. */
  private loaded: Partial<Record<SettingKey, SettingValue>> = {};

  constructor() {
    effect(() => {
      const snapshot = this.store.settings();
      if (snapshot)
        untracked(() => {
          this.fill(snapshot.settings);
        });
    });
  }

  ngOnInit(): void {
    void this.store.loadSettings();
  }

  protected canWrite(): boolean {
    return this.auth.can('system.write');
  }

  protected control(key: string): FormControl<SettingValue> {
    const control = this.form.controls[key];
    if (!control) throw new Error(`No control for setting ${key}`);
    return control;
  }

  protected async save(): Promise<void> {
    clearServerErrors(this.form);
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const changes: Record<string, SettingValue> = {};
    for (const [key, control] of Object.entries(this.form.controls)) {
      if (control.value !== this.loaded[key as SettingKey]) changes[key] = control.value;
    }
    if (Object.keys(changes).length === 0) {
      this.snackBar.open('Nothing changed.', 'OK', { duration: 3000 });
      return;
    }
    await this.send(changes, 'Runtime settings saved.');
  }

  protected async reset(entry: RuntimeSettingEntryDto): Promise<void> {
    await this.send({ [entry.key]: null }, `${settingLabel(entry.key)} follows the environment again.`);
  }

  private async send(body: UpdateRuntimeSettingsDto, done: string): Promise<void> {
    const result = await this.store.saveSettings(body);
    if (result.ok) {
      this.unmatched.set([]);
      this.snackBar.open(done, 'OK', { duration: 4000 });
    } else {
      this.unmatched.set(applyServerErrors(this.form, result.problem));
    }
  }

  private fill(entries: readonly RuntimeSettingEntryDto[]): void {
    this.loaded = {};
    for (const entry of entries) {
      this.loaded[entry.key] = entry.value;
      const existing = this.form.controls[entry.key];
      if (existing) {
        existing.setValue(entry.value);
        continue;
      }
      const validators =
        entry.kind === 'integer'
          ? [
              Validators.required,
              integerValidator,
              Validators.min(entry.min ?? 0),
              Validators.max(entry.max ?? Number.MAX_SAFE_INTEGER),
            ]
          : [Validators.required];
      this.form.addControl(entry.key, new FormControl<SettingValue>(entry.value, validators));
    }
    if (!this.canWrite()) this.form.disable();
  }
}
