import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

import { ThemeStore } from '../theme/theme.store';

/** Centered card used by the pages shown without the sidebar (login, setup, password change). */
@Component({
  selector: 'app-auth-layout',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatIconModule],
  template: `
    <div class="auth-page">
      <button
        mat-icon-button
        type="button"
        class="theme-toggle"
        [attr.aria-label]="theme.mode() === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'"
        (click)="theme.toggle()"
      >
        <mat-icon [svgIcon]="theme.mode() === 'dark' ? 'light_mode' : 'dark_mode'" />
      </button>
      <main class="auth-card" [class.wide]="wide()">
        <div class="brand">
          <mat-icon svgIcon="change_history" aria-hidden="true" />
          <span>Model Prism</span>
        </div>
        <ng-content />
      </main>
    </div>
  `,
  styles: `
    .auth-page {
      min-height: 100vh;
      display: flex;
      align-items: center;
      justify-content: center;
      padding: 24px;
      box-sizing: border-box;
      background: var(--mat-sys-surface-container-low);
    }
    .theme-toggle {
      position: fixed;
      top: 12px;
      right: 12px;
    }
    .auth-card {
      width: 100%;
      max-width: 420px;
      padding: 32px;
      box-sizing: border-box;
      border-radius: var(--mat-sys-corner-extra-large);
      background: var(--mat-sys-surface);
      box-shadow: var(--mat-sys-level2);
    }
    .auth-card.wide {
      max-width: 880px;
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 8px;
      margin-bottom: 16px;
      font: var(--mat-sys-title-large);
      color: var(--mat-sys-primary);
    }
  `,
})
export class AuthLayout {
  protected readonly theme = inject(ThemeStore);
  readonly wide = input(false);
}
