import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';

import { AuthStore } from '../../core/auth/auth.store';
import { PageHeader } from '../../core/ui/page-header';
import { PodsPanel } from './pods-panel';
import { ProviderHealthPanel } from './provider-health-panel';
import { RuntimeSettingsForm } from './runtime-settings-form';
import { SettingsTransferPanel } from './settings-transfer-panel';
import { SystemStore } from './system.store';

/** Operations: pods, provider health, runtime settings and (for `system.write`) export/import. */
@Component({
  selector: 'app-system-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatTabsModule,
    PageHeader,
    PodsPanel,
    ProviderHealthPanel,
    RuntimeSettingsForm,
    SettingsTransferPanel,
  ],
  providers: [SystemStore],
  template: `
    <app-page-header title="System" subtitle="Pods, upstream health and cluster-wide settings." />
    <mat-tab-group mat-stretch-tabs="false">
      <mat-tab label="Pods">
        <ng-template matTabContent
          ><div class="tab-body"><app-pods-panel /></div
        ></ng-template>
      </mat-tab>
      <mat-tab label="Provider health">
        <ng-template matTabContent
          ><div class="tab-body"><app-provider-health-panel /></div
        ></ng-template>
      </mat-tab>
      <mat-tab label="Runtime settings">
        <ng-template matTabContent
          ><div class="tab-body"><app-runtime-settings-form /></div
        ></ng-template>
      </mat-tab>
      @if (canTransfer()) {
        <mat-tab label="Export and import">
          <ng-template matTabContent
            ><div class="tab-body"><app-settings-transfer-panel /></div
          ></ng-template>
        </mat-tab>
      }
    </mat-tab-group>
  `,
  styles: `
    .tab-body {
      padding-top: 16px;
    }
  `,
})
export class SystemPage {
  private readonly auth = inject(AuthStore);
  protected readonly canTransfer = computed(() => this.auth.can('system.write'));
}
