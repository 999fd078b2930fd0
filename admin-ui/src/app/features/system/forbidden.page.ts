import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { EmptyState } from '../../core/ui/empty-state';

@Component({
  selector: 'app-forbidden-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, MatButtonModule, RouterLink],
  template: `
    <app-empty-state
      icon="block"
      title="Not available for your role"
      message="Your account cannot open this page. Ask an administrator if you need access."
    >
      <a mat-flat-button [routerLink]="auth.homeUrl()">Go to my start page</a>
    </app-empty-state>
  `,
})
export class ForbiddenPage {
  protected readonly auth = inject(AuthStore);
}
