import { Injectable, type OnModuleInit } from '@nestjs/common';

import { ConfigChangeBus } from '../../config-sync/config-change.bus';
import type { UserRecord } from './user.schema';
import { UsersRepository } from './users.repository';

/** Config-bus scope published on every change that affects who a token belongs to and what it may do. */
export const USERS_SCOPE = 'users';
/** Upper bound for a pod that missed the bus (the bus normally clears the entry much sooner). */
export const USER_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  user: UserRecord | null;
  expiresAt: number;
}

/**
 * Short-lived per-pod cache of the user behind a token, so the per-request account check costs a
 * map lookup. A change on this pod (logout, disable, delete, role or password change) drops the
 * entry at once; other pods drop their whole cache when the `users` scope changes on the config
 * bus (change stream, else within CONFIG_POLL_INTERVAL_MS).
 */
@Injectable()
export class UserCache implements OnModuleInit {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a read that started before it must not store what it read. */
  private generation = 0;

  constructor(
    private readonly users: UsersRepository,
    private readonly bus: ConfigChangeBus,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe([USERS_SCOPE], () => this.clear());
  }

  async get(id: string): Promise<UserRecord | null> {
    const now = Date.now();
    const cached = this.entries.get(id);
    if (cached && cached.expiresAt > now) return cached.user;
    const generation = this.generation;
    const user = await this.users.findById(id);
    // A logout that finished while this read was in flight would otherwise be undone by it.
    if (generation !== this.generation) return user;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(id, { user, expiresAt: now + USER_CACHE_TTL_MS });
    return user;
  }

  invalidate(id: string): void {
    this.generation += 1;
    this.entries.delete(id);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
