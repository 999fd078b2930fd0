import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog, MatDialogConfig } from '@angular/material/dialog';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';

import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { PageHeader } from '../../core/ui/page-header';
import { CheckLog } from './check-log';
import { ProviderDialog, type ProviderDialogData } from './provider-dialog';
import { PROVIDER_TYPES } from './provider-types';
import { ProvidersStore } from './providers.store';
import { TryModelDialog, type TryModelDialogData } from './try-model-dialog';

@Component({
  selector: 'app-providers-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CheckLog,
    DatePipe,
    EmptyState,
    ErrorBanner,
    MatButtonModule,
    MatCardModule,
    MatExpansionModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTooltipModule,
    PageHeader,
  ],
  providers: [ProvidersStore],
  templateUrl: './providers.page.html',
  styleUrl: './providers.page.scss',
})
export class ProvidersPage implements OnInit {
  protected readonly store = inject(ProvidersStore);
  protected readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);

  ngOnInit(): void {
    void this.store.load();
  }

  protected typeLabel(provider: ProviderResponseDto): string {
    return PROVIDER_TYPES[provider.type].label;
  }

  protected openEditor(provider: ProviderResponseDto | null = null): void {
    const config = new MatDialogConfig<ProviderDialogData>();
    config.data = { store: this.store, provider };
    config.maxWidth = '720px';
    this.store.save$.clear();
    this.dialog
      .open<ProviderDialog, ProviderDialogData, ProviderResponseDto>(ProviderDialog, config)
      .afterClosed()
      .subscribe((saved) => {
        if (!saved) return;
        this.snackBar.open(`Saved ${saved.name}. Checking the connection…`, 'OK', { duration: 4000 });
        void this.check(saved);
      });
  }

  protected async check(provider: ProviderResponseDto): Promise<void> {
    const result = await this.store.check(provider.id);
    if (!result.ok) this.snackBar.open(result.problem.message, 'OK', { duration: 6000 });
  }

  protected async discover(provider: ProviderResponseDto): Promise<void> {
    const result = await this.store.discover(provider.id);
    if (result.ok) {
      const { added, updated, missing } = result.value;
      this.snackBar.open(
        `${provider.name}: ${added.length} new, ${updated.length} updated, ${missing.length} no longer listed.`,
        'OK',
        { duration: 6000 },
      );
    } else {
      this.snackBar.open(result.problem.message, 'OK', { duration: 6000 });
    }
  }

  protected async openTry(provider: ProviderResponseDto): Promise<void> {
    const models = await this.store.modelIds(provider.id);
    const config = new MatDialogConfig<TryModelDialogData>();
    config.data = { store: this.store, provider, models };
    this.store.try$.clear();
    this.dialog.open(TryModelDialog, config);
  }

  protected async remove(provider: ProviderResponseDto): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: `Delete ${provider.name}?`,
      message: `Its ${provider.modelCount} models leave the registry and tenants stop using it. This cannot be undone.`,
      confirmLabel: 'Delete',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.remove(provider);
    this.snackBar.open(result.ok ? `Deleted ${provider.name}.` : result.problem.message, 'OK', {
      duration: 6000,
    });
  }
}
