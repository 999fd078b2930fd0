import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import { SettingsDocument } from '../../../core/database/settings-document';

export const FIRST_ADMIN_MARKER = 'first-admin';
export const SETUP_COMPLETE_MARKER = 'setup-complete';

/** A one-time marker in `setup_state`: when and how it was set (and for the first admin, who). */
export interface SetupMarker {
  at: Date | null;
  userId: string | null;
  via: string | null;
}

const COLLECTION = 'setup_state';
const noMarker = (): SetupMarker => ({ at: null, userId: null, via: null });

/**
 * The setup markers, two settings documents. Inserting `first-admin` (a unique `_id`) is how
 * exactly one of several concurrent setup/bootstrap attempts wins; the marker is never removed
 * once the admin exists, so setup stays closed.
 */
@Injectable()
export class SetupStateRepository {
  private readonly firstAdmin: SettingsDocument<SetupMarker>;
  private readonly completed: SettingsDocument<SetupMarker>;

  constructor(@InjectConnection() connection: Connection) {
    this.firstAdmin = new SettingsDocument(connection, {
      collection: COLLECTION,
      id: FIRST_ADMIN_MARKER,
      defaults: noMarker,
    });
    this.completed = new SettingsDocument(connection, {
      collection: COLLECTION,
      id: SETUP_COMPLETE_MARKER,
      defaults: noMarker,
    });
  }

  firstAdminClaimed(): Promise<boolean> {
    return this.firstAdmin.exists();
  }

  isComplete(): Promise<boolean> {
    return this.completed.exists();
  }

  /** True for the one caller that wins the first-admin claim. */
  claimFirstAdmin(via: string): Promise<boolean> {
    return this.firstAdmin.claim({ at: new Date(), via, userId: null });
  }

  recordFirstAdmin(userId: string): Promise<void> {
    return this.firstAdmin.write({ userId });
  }

  /** Gives the claim back so setup can be retried. */
  releaseFirstAdmin(): Promise<void> {
    return this.firstAdmin.remove();
  }

  /** Idempotent: the first completion's time is kept. */
  markComplete(via: string): Promise<void> {
    return this.completed.writeOnce({ at: new Date(), via, userId: null });
  }
}
