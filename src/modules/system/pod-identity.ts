import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';

import { AppConfig, type NodeRole } from '../../core/config';

/** The version in package.json (also the OpenAPI spec's version). */
export const APP_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

/**
 * Who this process is in the cluster: the id it writes heartbeats and holds job leases under.
 * The random suffix keeps two processes apart even when they share a host name and pid
 * (containers restarted in place, or two app instances in one test process).
 */
@Injectable()
export class PodIdentity {
  readonly host = hostname();
  readonly id = `${this.host}-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly startedAt = new Date();
  readonly version = APP_VERSION;
  readonly role: NodeRole;

  constructor(config: AppConfig) {
    this.role = config.role;
  }
}
