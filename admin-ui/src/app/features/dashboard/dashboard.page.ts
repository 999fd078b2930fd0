import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { ErrorBanner } from '../../core/ui/error-banner';
import { PageHeader } from '../../core/ui/page-header';
import { DashboardStore } from './dashboard.store';
import { UsageOverview } from './usage-overview';

@Component({
  selector: 'app-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    PageHeader,
    RouterLink,
    UsageOverview,
  ],
  providers: [DashboardStore],
  template: `
    <app-page-header
      title="Dashboard"
      subtitle="Spend, savings and traffic, and the state of the configuration."
    />
    <app-usage-overview />
    <h2 class="section">Configuration</h2>
    <app-error-banner [problem]="store.load$.problem()" [retryable]="true" (retry)="store.load()" />
    @if (store.load$.busy()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading the overview" />
    }
    @if (store.overview(); as o) {
      <div class="cards">
        @if (o.providers; as p) {
          <mat-card appearance="outlined" role="region" aria-label="Providers">
            <mat-card-header>
              <mat-icon mat-card-avatar svgIcon="dns" aria-hidden="true" />
              <mat-card-title>Providers</mat-card-title>
              <mat-card-subtitle>{{ p.connected }} of {{ p.total }} connected</mat-card-subtitle>
            </mat-card-header>
            <mat-card-content>
              @if (p.total === 0) {
                <p>No provider yet: requests cannot be served.</p>
              } @else if (p.failing.length > 0) {
                <p class="warn">Failing: {{ p.failing.join(', ') }}</p>
              } @else {
                <p>All checked providers answer.</p>
              }
            </mat-card-content>
            <mat-card-actions><a mat-button routerLink="/providers">Open providers</a></mat-card-actions>
          </mat-card>
        }
        @if (o.models; as m) {
          <mat-card appearance="outlined" role="region" aria-label="Models">
            <mat-card-header>
              <mat-icon mat-card-avatar svgIcon="view_list" aria-hidden="true" />
              <mat-card-title>Models</mat-card-title>
              <mat-card-subtitle>{{ m.visible }} visible, {{ m.hidden }} hidden</mat-card-subtitle>
            </mat-card-header>
            <mat-card-content>
              <p>Visible models can be requested by tenants and chosen by the router.</p>
            </mat-card-content>
            <mat-card-actions><a mat-button routerLink="/models">Open the registry</a></mat-card-actions>
          </mat-card>
        }
        @if (o.tenants; as t) {
          <mat-card appearance="outlined" role="region" aria-label="Tenants">
            <mat-card-header>
              <mat-icon mat-card-avatar svgIcon="apartment" aria-hidden="true" />
              <mat-card-title>Tenants</mat-card-title>
              <mat-card-subtitle>{{ t.active }} of {{ t.total }} active</mat-card-subtitle>
            </mat-card-header>
            <mat-card-content>
              <p>Each tenant has its own endpoint, keys, limits and budgets.</p>
            </mat-card-content>
            <mat-card-actions><a mat-button routerLink="/tenants">Open tenants</a></mat-card-actions>
          </mat-card>
        }
      </div>
    }
  `,
  styles: `
    .cards {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
      gap: 16px;
    }
    mat-icon[mat-card-avatar] {
      color: var(--mat-sys-primary);
      padding: 8px;
      box-sizing: border-box;
    }
    .warn {
      color: var(--mat-sys-error);
    }
    .section {
      margin: 24px 0 12px;
      font: var(--mat-sys-title-medium);
    }
  `,
})
export class DashboardPage implements OnInit {
  protected readonly store = inject(DashboardStore);
  protected readonly auth = inject(AuthStore);

  ngOnInit(): void {
    void this.store.load();
  }
}
