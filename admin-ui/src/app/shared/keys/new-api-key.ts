import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

import { CopyButton } from '../../core/ui/copy-button';

/**
 * A new API key, shown once: the warning (the projected text), the key and its copy button. Used by
 * the key reveal dialog and the setup wizard's key step.
 */
@Component({
  selector: 'app-new-api-key',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CopyButton, MatIconModule],
  template: `
    <p class="warning" role="alert">
      <mat-icon svgIcon="warning" aria-hidden="true" />
      <ng-content />
    </p>
    <div class="copy-box">
      <code data-testid="revealed-key">{{ apiKey() }}</code>
      <app-copy-button [value]="apiKey()" label="Copy the key" />
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
    .warning {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      padding: 12px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
  `,
})
export class NewApiKey {
  readonly apiKey = input.required<string>();
}
