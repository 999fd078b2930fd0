import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';

import { type CreatedApiKeyResponseDto } from '../../api/models/created-api-key-response-dto';
import { CopyButton } from '../../core/ui/copy-button';
import { NewApiKey } from './new-api-key';

export interface KeyRevealData {
  key: CreatedApiKeyResponseDto;
  /** Gateway base URL for OpenAI clients, shown next to the key. */
  endpoint?: string;
}

/** Shows a new API key exactly once, with a copy button and a warning that it cannot be shown again. */
@Component({
  selector: 'app-key-reveal-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CopyButton, MatButtonModule, MatDialogModule, NewApiKey],
  template: `
    <h2 mat-dialog-title>Copy the new API key now</h2>
    <mat-dialog-content>
      <app-new-api-key [apiKey]="data.key.apiKey">
        This is the only time the full key is shown. Model Prism stores only a hash of it; if it is lost,
        rotate the key.
      </app-new-api-key>
      <dl>
        <dt>Label</dt>
        <dd>{{ data.key.label || '—' }}</dd>
        <dt>Expires</dt>
        <dd>{{ data.key.expiresAt ?? 'Never' }}</dd>
        @if (data.endpoint) {
          <dt>Base URL</dt>
          <dd>
            <code>{{ data.endpoint }}</code>
            <app-copy-button [value]="data.endpoint" label="Copy the base URL" />
          </dd>
        }
      </dl>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close cdkFocusInitial>I have stored the key</button>
    </mat-dialog-actions>
  `,
  styles: `
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 16px;
      align-items: center;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      word-break: break-all;
    }
  `,
})
export class KeyRevealDialog {
  protected readonly data = inject<KeyRevealData>(MAT_DIALOG_DATA);
}
