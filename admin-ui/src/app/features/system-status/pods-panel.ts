import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';

import { type PodResponseDto } from '../../api/models/pod-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { SystemStore } from './system.store';

const MB = 1024 * 1024;

/** The cluster's pods from their heartbeats; a stale or stopped pod can be forgotten. */
@Component({
  selector: 'app-pods-panel',
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
  ],
  template: `
    <div class="toolbar">
      @if (store.pods(); as list) {
        <p class="hint">
          Heartbeat every {{ list.heartbeatIntervalMs / 1000 }} s; a pod without one for
          {{ list.staleAfterMs / 1000 }} s is stale.
        </p>
      }
      <button mat-stroked-button type="button" (click)="store.loadPods()" [disabled]="store.pods$.busy()">
        <mat-icon svgIcon="refresh" />
        Refresh pods
      </button>
    </div>
    <app-error-banner [problem]="store.pods$.problem()" [retryable]="true" (retry)="store.loadPods()" />
    <app-error-banner [problem]="store.podAction$.problem()" />
    @if (store.pods$.busy()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading pods" />
    }
    @if (store.pods(); as list) {
      @if (list.items.length === 0) {
        <app-empty-state icon="dns" title="No pods" message="No pod has written a heartbeat yet." />
      } @else {
        <div class="table-wrap">
          <table mat-table [dataSource]="list.items" aria-label="Pods">
            <ng-container matColumnDef="pod">
              <th mat-header-cell *matHeaderCellDef scope="col">Pod</th>
              <td mat-cell *matCellDef="let pod">
                <div class="name">{{ pod.host }}:{{ pod.pid }}</div>
                <div class="sub">
                  {{ pod.version }}
                  @if (pod.self) {
                    · this pod
                  }
                </div>
              </td>
            </ng-container>
            <ng-container matColumnDef="role">
              <th mat-header-cell *matHeaderCellDef scope="col">Role</th>
              <td mat-cell *matCellDef="let pod">{{ pod.role }}</td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef scope="col">Health</th>
              <td mat-cell *matCellDef="let pod">
                <span class="status" [class]="pod.status">{{ pod.status }}</span>
                <div class="sub">seen {{ pod.lastSeenAt | date: 'mediumTime' }}</div>
              </td>
            </ng-container>
            <ng-container matColumnDef="load">
              <th mat-header-cell *matHeaderCellDef scope="col">Load</th>
              <td mat-cell *matCellDef="let pod">
                <div>CPU {{ pod.cpuPercent | number: '1.0-1' }} % · RSS {{ mb(pod.rssBytes) }} MB</div>
                <div class="sub">
                  loop lag p99 {{ pod.eventLoopLagP99Ms | number: '1.0-1' }} ms · in flight {{ pod.inFlight }}
                </div>
              </td>
            </ng-container>
            <ng-container matColumnDef="traffic">
              <th mat-header-cell *matHeaderCellDef scope="col">Traffic</th>
              <td mat-cell *matCellDef="let pod">
                <div>{{ pod.requestsPerMinute }} req/min · {{ pod.errorsPerMinute }} errors/min</div>
                <div class="sub">{{ pod.requestsLastHour }} requests in the last hour</div>
              </td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
              <td mat-cell *matCellDef="let pod">
                @if (canWrite() && pod.status !== 'live') {
                  <button
                    mat-button
                    type="button"
                    (click)="forget(pod)"
                    [attr.aria-label]="'Forget pod ' + pod.host"
                  >
                    Forget
                  </button>
                }
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
export class PodsPanel implements OnInit {
  protected readonly store = inject(SystemStore);
  private readonly auth = inject(AuthStore);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly columns = ['pod', 'role', 'status', 'load', 'traffic', 'actions'];

  ngOnInit(): void {
    void this.store.loadPods();
  }

  protected canWrite(): boolean {
    return this.auth.can('system.write');
  }

  protected mb(bytes: number): number {
    return Math.round(bytes / MB);
  }

  protected async forget(pod: PodResponseDto): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: `Forget ${pod.host}?`,
      message: 'The pod disappears from this list until it sends a heartbeat again.',
      confirmLabel: 'Forget',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.forget(pod);
    if (result.ok) this.snackBar.open('Pod forgotten.', 'OK', { duration: 4000 });
  }
}
