import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

import { type ApiProblem } from '../http/api-problem';

/** A failed load or save, announced to screen readers, with an optional retry button. */
@Component({
  selector: 'app-error-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatIconModule],
  template: `
    @if (problem(); as p) {
      <div class="error-banner" role="alert">
        <mat-icon svgIcon="error" aria-hidden="true" />
        <div class="text">
          <span>{{ p.message }}</span>
          @for (line of extra(); track $index) {
            <span>{{ line }}</span>
          }
        </div>
        @if (retryable()) {
          <button mat-button type="button" (click)="retry.emit()">Retry</button>
        }
      </div>
    }
  `,
  styles: `
    .error-banner {
      display: flex;
      align-items: center;
      gap: 12px;
      margin: 0 0 16px;
      padding: 12px 16px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      font: var(--mat-sys-body-medium);
    }
    .text {
      display: flex;
      flex-direction: column;
      flex: 1 1 auto;
    }
    mat-icon {
      flex: none;
    }
  `,
})
export class ErrorBanner {
  readonly problem = input<ApiProblem | null>(null);
  readonly extra = input<readonly string[]>([]);
  readonly retryable = input(false);
  readonly retry = output();
}
