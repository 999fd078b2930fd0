import { KeyValuePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';

import { type SectionDiffDto } from '../../api/models/section-diff-dto';
import { controlError } from '../../core/http/form-errors';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { ErrorBanner } from '../../core/ui/error-banner';
import { SystemStore } from './system.store';

const PASSPHRASE = [Validators.minLength(12), Validators.maxLength(1024)];

/** Whether a section's diff changes anything. */
function changes(diff: SectionDiffDto): boolean {
  return diff.added.length > 0 || diff.changed.length > 0;
}

/**
 * Export the configuration as a JSON file (secrets encrypted under a passphrase, or left out), and
 * import one: the server's dry run shows what would be added and changed before anything is applied.
 */
@Component({
  selector: 'app-settings-transfer-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    KeyValuePipe,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  template: `
    <section aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p class="hint">
        Providers, models, tenants (without their API keys), categories, rule sets, LDAP, key policy and
        runtime settings. Without a passphrase, provider credentials and the LDAP password are left out.
      </p>
      <app-error-banner [problem]="store.export$.problem()" />
      <form
        class="inline-form"
        [formGroup]="exportForm"
        (ngSubmit)="download()"
        novalidate
        aria-label="Export"
      >
        <mat-form-field>
          <mat-label>Export passphrase (optional)</mat-label>
          <input matInput type="password" formControlName="passphrase" autocomplete="new-password" />
          <mat-hint>12 or more characters; needed again to import the secrets</mat-hint>
          @if (exportForm.controls.passphrase.invalid) {
            <mat-error>{{ controlError(exportForm.controls.passphrase, 'Passphrase') }}</mat-error>
          }
        </mat-form-field>
        <button mat-flat-button type="submit" [disabled]="store.export$.busy()">
          <mat-icon svgIcon="download" />
          Download export
        </button>
      </form>
    </section>

    <section aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      <p class="hint">
        Entries are matched by slug, key or name: new ones are added, existing ones overwritten. Nothing
        changes until you apply the previewed changes.
      </p>
      <app-error-banner [problem]="fileProblem()" />
      <app-error-banner [problem]="store.import$.problem()" />
      <form
        class="inline-form"
        [formGroup]="importForm"
        (ngSubmit)="preview()"
        novalidate
        aria-label="Import"
      >
        <div class="file-field">
          <label for="import-file">Export file</label>
          <input id="import-file" type="file" accept="application/json,.json" (change)="pick($event)" />
          @if (fileName(); as name) {
            <span class="sub">{{ name }}</span>
          }
        </div>
        <mat-form-field>
          <mat-label>Import passphrase</mat-label>
          <input matInput type="password" formControlName="passphrase" autocomplete="off" />
          <mat-hint>The passphrase given at export, if it had one</mat-hint>
          @if (importForm.controls.passphrase.invalid) {
            <mat-error>{{ controlError(importForm.controls.passphrase, 'Passphrase') }}</mat-error>
          }
        </mat-form-field>
        <button mat-stroked-button type="submit" [disabled]="store.import$.busy() || !document()">
          Preview changes
        </button>
      </form>
      @if (store.import$.busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Checking the import" />
      }

      @if (store.preview(); as preview) {
        <div class="diff" role="region" aria-label="Import preview">
          <h3>What the import would change</h3>
          @if (!previewChanges()) {
            <p>Nothing: the configuration already matches this file.</p>
          }
          <ul class="sections">
            @for (section of preview.result.diff | keyvalue; track section.key) {
              <li>
                <strong>{{ section.key }}</strong>: {{ section.value.added.length }} added,
                {{ section.value.changed.length }} changed, {{ section.value.unchanged }} unchanged
                @if (section.value.added.length > 0) {
                  <div class="sub">Added: {{ section.value.added.join(', ') }}</div>
                }
                @for (change of section.value.changed; track change.id) {
                  <div class="sub">Changed {{ change.label }}: {{ change.fields.join(', ') }}</div>
                }
              </li>
            }
          </ul>
          <div class="form-actions">
            <button mat-button type="button" (click)="store.discardPreview()">Discard</button>
            <button
              mat-flat-button
              type="button"
              (click)="apply()"
              [disabled]="store.import$.busy() || !previewChanges()"
            >
              Apply import
            </button>
          </div>
        </div>
      }
      @if (store.applied(); as applied) {
        <p class="done" role="status">
          Import applied: {{ appliedSummary() }}. Every pod reloads the changed configuration.
        </p>
      }
    </section>
  `,
  styleUrl: './system.scss',
})
export class SettingsTransferPanel {
  protected readonly store = inject(SystemStore);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly controlError = controlError;
  protected readonly exportForm = this.fb.group({ passphrase: ['', PASSPHRASE] });
  protected readonly importForm = this.fb.group({ passphrase: ['', PASSPHRASE] });
  protected readonly document = signal<Record<string, unknown> | null>(null);
  protected readonly fileName = signal<string | null>(null);
  protected readonly fileProblem = signal<{
    status: number;
    message: string;
    fieldErrors: Record<string, string[]>;
  } | null>(null);
  protected readonly previewChanges = computed(() => {
    const preview = this.store.preview();
    return preview ? Object.values(preview.result.diff).some(changes) : false;
  });
  protected readonly appliedSummary = computed(() => {
    const applied = this.store.applied();
    if (!applied) return '';
    const diffs = Object.values(applied.diff);
    const added = diffs.reduce((sum, d) => sum + d.added.length, 0);
    const changed = diffs.reduce((sum, d) => sum + d.changed.length, 0);
    return `${added} added, ${changed} changed`;
  });

  protected async download(): Promise<void> {
    this.exportForm.markAllAsTouched();
    if (this.exportForm.invalid) return;
    const passphrase = this.exportForm.controls.passphrase.value || undefined;
    const result = await this.store.export(passphrase);
    if (!result.ok) return;
    const blob = new Blob([JSON.stringify(result.value, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `model-prism-settings-${result.value.exportedAt.slice(0, 10)}.json`;
    link.click();
    URL.revokeObjectURL(url);
    this.snackBar.open(
      result.value.secrets === 'encrypted'
        ? 'Export downloaded with encrypted secrets.'
        : 'Export downloaded without secrets.',
      'OK',
      { duration: 4000 },
    );
  }

  protected async pick(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    this.document.set(null);
    this.fileProblem.set(null);
    this.store.discardPreview();
    this.fileName.set(file?.name ?? null);
    if (!file) return;
    try {
      const parsed: unknown = JSON.parse(await file.text());
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      this.document.set(parsed as Record<string, unknown>);
    } catch {
      this.fileProblem.set({
        status: 400,
        message: `${file.name} is not a JSON export file.`,
        fieldErrors: {},
      });
    }
  }

  protected async preview(): Promise<void> {
    this.importForm.markAllAsTouched();
    const document = this.document();
    if (this.importForm.invalid || !document) return;
    await this.store.previewImport(document, this.importForm.controls.passphrase.value || undefined);
  }

  protected async apply(): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: 'Apply the import?',
      message: 'The previewed entries are added or overwritten now. This cannot be undone.',
      confirmLabel: 'Apply import',
      destructive: true,
    });
    if (!confirmed) return;
    await this.store.applyImport();
  }
}
