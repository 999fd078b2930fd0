import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';

import { type ModelHealthDto } from '../../api/models/model-health-dto';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { SystemStore } from './system.store';

/** Upstream health per provider model across the live pods, with the circuit breakers' states. */
@Component({
  selector: 'app-provider-health-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    DecimalPipe,
    EmptyState,
    ErrorBanner,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTableModule,
    PercentPipe,
  ],
  template: `
    <div class="toolbar">
      @if (store.health(); as health) {
        <p class="hint">
          Last {{ health.windowMinutes }} minutes, from {{ health.livePods }} live
          {{ health.livePods === 1 ? 'pod' : 'pods' }}.
        </p>
      }
      <button mat-stroked-button type="button" (click)="store.loadHealth()" [disabled]="store.health$.busy()">
        <mat-icon svgIcon="refresh" />
        Refresh health
      </button>
    </div>
    <app-error-banner [problem]="store.health$.problem()" [retryable]="true" (retry)="store.loadHealth()" />
    @if (store.health$.busy()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading provider health" />
    }
    @if (store.health(); as health) {
      @if (health.items.length === 0) {
        <app-empty-state
          icon="dns"
          title="No upstream calls yet"
          message="Provider models appear here once the gateway has called them."
        />
      } @else {
        <div class="table-wrap">
          <table mat-table [dataSource]="health.items" aria-label="Provider health">
            <ng-container matColumnDef="model">
              <th mat-header-cell *matHeaderCellDef scope="col">Provider model</th>
              <td mat-cell *matCellDef="let item">
                <div class="name">{{ item.provider }}/{{ item.model }}</div>
              </td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef scope="col">Status</th>
              <td mat-cell *matCellDef="let item">
                <span class="status" [class]="item.status">{{ item.status }}</span>
              </td>
            </ng-container>
            <ng-container matColumnDef="calls">
              <th mat-header-cell *matHeaderCellDef scope="col">Calls</th>
              <td mat-cell *matCellDef="let item">
                {{ item.calls }} · {{ item.errorRate | percent: '1.0-1' }} errors
                <div class="sub">
                  avg
                  {{ item.avgLatencyMs === null ? '—' : (item.avgLatencyMs | number: '1.0-0') + ' ms' }}
                </div>
              </td>
            </ng-container>
            <ng-container matColumnDef="breakers">
              <th mat-header-cell *matHeaderCellDef scope="col">Circuit breakers</th>
              <td mat-cell *matCellDef="let item">{{ breakers(item) }}</td>
            </ng-container>
            <ng-container matColumnDef="last">
              <th mat-header-cell *matHeaderCellDef scope="col">Last success / failure</th>
              <td mat-cell *matCellDef="let item">
                {{ item.lastSuccessAt ? (item.lastSuccessAt | date: 'mediumTime') : '—' }} /
                {{ item.lastFailureAt ? (item.lastFailureAt | date: 'mediumTime') : '—' }}
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns"></tr>
          </table>
        </div>
      }
    }
  `,
  styleUrl: './system.scss',
})
export class ProviderHealthPanel implements OnInit {
  protected readonly store = inject(SystemStore);
  protected readonly columns = ['model', 'status', 'calls', 'breakers', 'last'];

  ngOnInit(): void {
    void this.store.loadHealth();
  }

  /** `open on 1 pod (3 failures)`, or `all closed`. */
  protected breakers(item: ModelHealthDto): string {
    if (item.breakers.length === 0) return 'all closed';
    return item.breakers
      .map((b) => `${b.state.replace('_', '-')} on ${b.podId.slice(0, 12)} (${b.failures} failures)`)
      .join('; ');
  }
}
