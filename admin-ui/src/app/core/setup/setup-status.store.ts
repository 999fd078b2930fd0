import { inject, Injectable, signal } from '@angular/core';

import { AuthClient } from '../auth/auth.client';

/**
 * Whether the installation still needs its first admin (`setup/status`). Cached for the page's
 * life; the wizard marks itself active so its later steps stay reachable once the admin exists.
 */
@Injectable({ providedIn: 'root' })
export class SetupStatusStore {
  private readonly client = inject(AuthClient);
  private readonly needsSetupState = signal<boolean | null>(null);
  private readonly wizardActiveState = signal(false);
  private readonly ldapEnabledState = signal(false);

  readonly needsSetup = this.needsSetupState.asReadonly();
  readonly wizardActive = this.wizardActiveState.asReadonly();
  /** The login page mentions directory accounts only when LDAP is on. */
  readonly ldapEnabled = this.ldapEnabledState.asReadonly();

  async load(force = false): Promise<boolean> {
    const known = this.needsSetupState();
    if (known !== null && !force) return known;
    try {
      const { needsSetup, ldapEnabled } = await this.client.setupStatus();
      this.needsSetupState.set(needsSetup);
      this.ldapEnabledState.set(ldapEnabled);
      return needsSetup;
    } catch {
      // An unreachable server must not trap users in the wizard; the login page shows the error.
      return false;
    }
  }

  startWizard(): void {
    this.wizardActiveState.set(true);
  }

  finishWizard(): void {
    this.wizardActiveState.set(false);
    this.needsSetupState.set(false);
  }
}
