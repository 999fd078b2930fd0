import { Injectable } from '@nestjs/common';

import type { UserRecord } from './user.schema';
import { UsersRepository } from './users.repository';

/** How long another pod may keep accepting a just-disabled user (this pod forgets at once). */
export const USER_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  user: UserRecord | null;
  expiresAt: number;
}

/**
 * Short-lived per-pod cache of the user behind a token, so the per-request account check costs a
 * map lookup. Every user change on this pod invalidates the entry immediately.
 */
@Injectable()
export class UserCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly users: UsersRepository) {}

  async get(id: string): Promise<UserRecord | null> {
    const now = Date.now();
    const cached = this.entries.get(id);
    if (cached && cached.expiresAt > now) return cached.user;
    const user = await this.users.findById(id);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(id, { user, expiresAt: now + USER_CACHE_TTL_MS });
    return user;
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }
}
