import { inject, Injectable, signal } from '@angular/core';

import { AuthClient } from '../../core/auth/auth.client';
import { AuthStore } from '../../core/auth/auth.store';
import { type ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { SetupStatusStore } from '../../core/setup/setup-status.store';

/**
 * State of the first-run wizard: creates the first admin and signs in as it, so the following
 * steps (provider, tenant, preset) run with an admin session.
 */
@Injectable()
export class SetupWizardStore {
  private readonly client = inject(AuthClient);
  private readonly auth = inject(AuthStore);
  private readonly setupStatus = inject(SetupStatusStore);

  readonly busy = signal(false);
  readonly problem = signal<ApiProblem | null>(null);
  readonly adminUsername = signal<string | null>(null);

  /** Creates the admin and signs in; returns the failure (for field errors) or null. */
  async createAdmin(username: string, password: string): Promise<ApiProblem | null> {
    this.busy.set(true);
    this.problem.set(null);
    this.setupStatus.startWizard();
    try {
      await this.client.createFirstAdmin(username, password);
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.problem.set(
        problem.status === 409
          ? { ...problem, message: 'An administrator already exists. Sign in instead.' }
          : problem,
      );
      this.busy.set(false);
      return problem;
    }
    const signedIn = await this.auth.login(username, password);
    this.busy.set(false);
    if (!signedIn) {
      const problem = this.auth.error() ?? toApiProblem(new Error('Signing in as the new admin failed'));
      this.problem.set(problem);
      return problem;
    }
    this.adminUsername.set(username);
    return null;
  }

  /** Marks setup as finished on the server; the wizard does not show again. */
  async finish(): Promise<ApiProblem | null> {
    this.busy.set(true);
    try {
      await this.client.completeSetup();
      this.setupStatus.finishWizard();
      return null;
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.problem.set(problem);
      return problem;
    } finally {
      this.busy.set(false);
    }
  }
}
