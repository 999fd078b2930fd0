import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { EmptyState } from '../../core/ui/empty-state';

@Component({
  selector: 'app-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, MatButtonModule, RouterLink],
  template: `
    <main class="not-found">
      <app-empty-state
        icon="search_off"
        title="Page not found"
        message="There is no console page at this address."
      >
        <a mat-flat-button routerLink="/">Back to the console</a>
      </app-empty-state>
    </main>
  `,
  styles: `
    .not-found {
      max-width: 640px;
      margin: 15vh auto 0;
      padding: 0 24px;
    }
  `,
})
export class NotFoundPage {}
