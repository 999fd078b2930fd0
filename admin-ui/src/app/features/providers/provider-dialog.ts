import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { type CreateProviderDto } from '../../api/models/create-provider-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { DialogFormActions } from '../../core/ui/dialog-form-actions';
import { ProviderForm } from './provider-form';
import { type ProvidersStore } from './providers.store';

export interface ProviderDialogData {
  store: ProvidersStore;
  provider: ProviderResponseDto | null;
}

/** Create or edit a provider in a dialog; closes with the saved provider. */
@Component({
  selector: 'app-provider-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DialogFormActions, MatDialogModule, MatProgressBarModule, ProviderForm],
  template: `
    <h2 mat-dialog-title>{{ data.provider ? 'Edit ' + data.provider.name : 'New provider' }}</h2>
    <mat-dialog-content>
      <app-provider-form
        formId="provider-dialog-form"
        [provider]="data.provider"
        [problem]="data.store.save$.problem()"
        [busy]="data.store.save$.busy()"
        [showSubmit]="false"
        (save)="save($event)"
      />
      @if (data.store.save$.busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Saving" />
      }
    </mat-dialog-content>
    <app-dialog-form-actions
      formId="provider-dialog-form"
      [submitLabel]="data.provider ? 'Save' : 'Create provider'"
      [busy]="data.store.save$.busy()"
    />
  `,
  styles: `
    app-provider-form {
      display: block;
      width: min(640px, 80vw);
    }
  `,
})
export class ProviderDialog {
  protected readonly data = inject<ProviderDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ProviderDialog, ProviderResponseDto>>(MatDialogRef);

  protected async save(body: CreateProviderDto): Promise<void> {
    const existing = this.data.provider;
    const result = existing
      ? await this.data.store.update(existing.id, body)
      : await this.data.store.create(body);
    if (result.ok) this.ref.close(result.value);
  }
}
