import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  type OnInit,
  signal,
  untracked,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { type MatSelectChange, MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTabsModule } from '@angular/material/tabs';

import { type ModelAccessDto } from '../../api/models/model-access-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { CopyButton } from '../../core/ui/copy-button';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { PageHeader } from '../../core/ui/page-header';
import { ClientConfigPanel } from '../../shared/client-config/client-config-panel';
import { PortalKeysApi } from '../../shared/keys/keys-api';
import { KeysPanel } from '../../shared/keys/keys-panel';
import { PortalStore } from './portal.store';
import { PortalUsage } from './portal-usage';

type AccessMode = NonNullable<ModelAccessDto['mode']>;

/** Self-service view of the caller's tenants (tenant-admin edits, tenant-viewer reads). */
@Component({
  selector: 'app-portal-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ClientConfigPanel,
    CopyButton,
    EmptyState,
    ErrorBanner,
    FormsModule,
    KeysPanel,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    MatTabsModule,
    PageHeader,
    PortalUsage,
  ],
  providers: [PortalStore],
  templateUrl: './portal.page.html',
  styleUrl: './portal.page.scss',
})
export class PortalPage implements OnInit {
  protected readonly store = inject(PortalStore);
  protected readonly auth = inject(AuthStore);
  protected readonly keysApi = inject(PortalKeysApi);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly accessMode = signal<AccessMode>('all');
  protected readonly chosen = signal<ReadonlySet<string>>(new Set());
  protected readonly canWrite = computed(() => this.auth.can('portal.write'));
  protected readonly endpoint = computed(() => {
    const tenant = this.store.selected();
    return tenant ? absolute(tenant.endpoint) : '';
  });
  protected readonly anthropicBaseUrl = computed(() => {
    const tenant = this.store.selected();
    return tenant ? absolute(tenant.anthropicBaseUrl) : '';
  });

  constructor() {
    effect(() => {
      const tenant = this.store.selected();
      const models = this.store.models();
      untracked(() => {
        this.accessMode.set(tenant?.modelAccess.mode ?? 'all');
        const listed = new Set(tenant?.modelAccess.list ?? []);
        this.chosen.set(
          new Set(
            models.filter((m) => listed.has(m.prefixedId) || listed.has(m.modelId)).map((m) => m.prefixedId),
          ),
        );
      });
    });
  }

  ngOnInit(): void {
    void this.store.load();
  }

  protected onTenant(event: MatSelectChange): void {
    const tenant = this.store.tenants().find((t) => t.id === event.value);
    if (tenant) void this.store.select(tenant.id);
  }

  protected toggle(prefixedId: string): void {
    this.chosen.update((set) => {
      const next = new Set(set);
      if (next.has(prefixedId)) next.delete(prefixedId);
      else next.add(prefixedId);
      return next;
    });
  }

  protected async saveAccess(): Promise<void> {
    const result = await this.store.updateAccess(this.accessMode(), [...this.chosen()]);
    this.snackBar.open(result.ok ? 'Model access saved.' : result.problem.message, 'OK', { duration: 5000 });
  }
}

function absolute(url: string): string {
  return /^https?:\/\//.test(url) ? url : `${location.origin}${url}`;
}
