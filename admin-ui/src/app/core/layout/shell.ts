import { BreakpointObserver } from '@angular/cdk/layout';
import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  type ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';

import { AuthStore } from '../auth/auth.store';
import { ROLE_LABELS } from '../auth/permissions';
import { ThemeStore } from '../theme/theme.store';
import { visibleNavigation } from './navigation';

/** Toolbar, role-aware sidebar and the routed page. */
@Component({
  selector: 'app-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    MatButtonModule,
    MatDividerModule,
    MatIconModule,
    MatListModule,
    MatMenuModule,
    MatSidenavModule,
    MatToolbarModule,
    MatTooltipModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  protected readonly auth = inject(AuthStore);
  protected readonly theme = inject(ThemeStore);
  private readonly router = inject(Router);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  protected readonly compact = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 1099.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  private readonly menuOpenState = signal(false);
  protected readonly sidenavOpened = computed(() => !this.compact() || this.menuOpenState());

  protected readonly sections = computed(() =>
    visibleNavigation(this.auth.permissions(), this.auth.isTenantScoped()),
  );
  protected readonly roleLabel = computed(() => {
    const user = this.auth.user();
    return user ? ROLE_LABELS[user.role] : '';
  });

  constructor() {
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe(() => {
        this.menuOpenState.set(false);
      });
  }

  /** With `<base href="/">` a plain `#main-content` link would navigate to `/`; move focus instead. */
  protected skipToContent(event: Event): void {
    event.preventDefault();
    this.main().nativeElement.focus();
  }

  protected toggleMenu(): void {
    this.menuOpenState.update((open) => !open);
  }

  protected onSidenavClosed(): void {
    this.menuOpenState.set(false);
  }

  protected logout(): void {
    void this.auth.logout();
  }
}
