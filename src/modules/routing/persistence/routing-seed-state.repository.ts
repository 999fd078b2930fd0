import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import { SettingsDocument } from '../../../core/database/settings-document';

/**
 * What has been seeded so far. Built-ins whose key is listed here are never inserted again, so
 * restarts never undo admin edits; a release adding a built-in seeds just it.
 */
export interface RoutingSeedState {
  seededCategories: string[];
  seededDefaultRuleSet: boolean;
}

/** The seed marker: one settings document (`routing_state`, `_id: 'seed'`). */
@Injectable()
export class RoutingSeedStateRepository extends SettingsDocument<RoutingSeedState> {
  constructor(@InjectConnection() connection: Connection) {
    super(connection, {
      collection: 'routing_state',
      id: 'seed',
      defaults: () => ({ seededCategories: [], seededDefaultRuleSet: false }),
    });
  }
}
