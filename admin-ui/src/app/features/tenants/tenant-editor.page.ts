import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { CopyButton } from '../../core/ui/copy-button';
import { ErrorBanner } from '../../core/ui/error-banner';
import { PageHeader } from '../../core/ui/page-header';
import { ClientConfigPanel } from '../../shared/client-config/client-config-panel';
import { AdminKeysApi } from '../../shared/keys/keys-api';
import { KeysPanel } from '../../shared/keys/keys-panel';
import { TenantAccessTab } from './tenant-access-tab';
import { TenantEditorStore } from './tenant-editor.store';
import { TenantGeneralTab } from './tenant-general-tab';
import { TenantLimitsTab } from './tenant-limits-tab';
import { TenantResilienceTab } from './tenant-resilience-tab';
import { TenantRoutingTab } from './tenant-routing-tab';

export const TENANT_TABS = [
  'general',
  'access',
  'routing',
  'resilience',
  'limits',
  'keys',
  'clients',
] as const;
export type TenantTab = (typeof TENANT_TABS)[number];

@Component({
  selector: 'app-tenant-editor-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ClientConfigPanel,
    CopyButton,
    ErrorBanner,
    KeysPanel,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTabsModule,
    PageHeader,
    RouterLink,
    TenantAccessTab,
    TenantGeneralTab,
    TenantLimitsTab,
    TenantResilienceTab,
    TenantRoutingTab,
  ],
  providers: [TenantEditorStore],
  templateUrl: './tenant-editor.page.html',
  styleUrl: './tenant-editor.page.scss',
})
export class TenantEditorPage {
  /** Route parameter. */
  readonly id = input.required<string>();
  /** Query parameter: the open tab. */
  readonly tab = input<string>();

  protected readonly store = inject(TenantEditorStore);
  protected readonly auth = inject(AuthStore);
  protected readonly keysApi = inject(AdminKeysApi);
  private readonly router = inject(Router);

  protected readonly tabIndex = computed(() => {
    const index = TENANT_TABS.indexOf(this.tab() as TenantTab);
    return index < 0 ? 0 : index;
  });
  protected readonly endpoint = computed(() => {
    const tenant = this.store.tenant();
    return tenant ? `${location.origin}${tenant.endpointPath}` : '';
  });

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.store.load(id));
    });
  }

  protected onTabChange(index: number): void {
    void this.router.navigate([], { queryParams: { tab: TENANT_TABS[index] }, replaceUrl: true });
  }
}
