import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type FilterQuery, isValidObjectId, type Model } from 'mongoose';

import type { Role } from '../rbac/permissions';
import { User, type UserRecord, type UserSource } from './user.schema';

export type NewUser = Pick<
  User,
  | 'username'
  | 'passwordHash'
  | 'source'
  | 'role'
  | 'rolePinned'
  | 'tenantIds'
  | 'active'
  | 'mustChangePassword'
  | 'ldapDn'
>;
export type UserChanges = Partial<
  Pick<
    User,
    | 'passwordHash'
    | 'role'
    | 'rolePinned'
    | 'tenantIds'
    | 'active'
    | 'mustChangePassword'
    | 'lastLoginAt'
    | 'ldapDn'
  >
>;

export interface UserQuery {
  search?: string;
  role?: Role;
  source?: UserSource;
  active?: boolean;
  skip: number;
  limit: number;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Thrown by `create` when the (lower-cased) username is taken. */
export class DuplicateUsernameError extends Error {
  constructor(username: string) {
    super(`A user named "${username}" already exists`);
    this.name = 'DuplicateUsernameError';
  }
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** The only code touching the `users` collection. */
@Injectable()
export class UsersRepository {
  constructor(@InjectModel(User.name) private readonly model: Model<User>) {}

  /** One page of users sorted by username, and how many match the filter. */
  async find(query: UserQuery): Promise<{ items: UserRecord[]; total: number }> {
    const filter: FilterQuery<User> = {};
    // Usernames are stored lower-cased, so a lower-cased pattern is a case-insensitive match.
    if (query.search) filter.username = { $regex: escapeRegex(query.search.trim().toLowerCase()) };
    if (query.role) filter.role = query.role;
    if (query.source) filter.source = query.source;
    if (query.active !== undefined) filter.active = query.active;
    const [items, total] = await Promise.all([
      this.model
        .find(filter)
        .sort({ username: 1 })
        .skip(query.skip)
        .limit(query.limit)
        .lean<UserRecord[]>()
        .exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  findById(id: string): Promise<UserRecord | null> {
    if (!isValidObjectId(id)) return Promise.resolve(null);
    return this.model.findById(id).lean<UserRecord>().exec();
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    return this.model.findOne({ username: username.trim().toLowerCase() }).lean<UserRecord>().exec();
  }

  async create(user: NewUser): Promise<UserRecord> {
    try {
      const created = await this.model.create({ ...user, username: user.username.trim().toLowerCase() });
      return created.toObject<UserRecord>();
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateUsernameError(user.username);
      throw error;
    }
  }

  /** Applies changes; `revokeTokens` bumps the token version in the same atomic update. */
  update(id: string, changes: UserChanges, revokeTokens = false): Promise<UserRecord | null> {
    if (!isValidObjectId(id)) return Promise.resolve(null);
    const update = revokeTokens ? { $set: changes, $inc: { tokenVersion: 1 } } : { $set: changes };
    return this.model.findByIdAndUpdate(id, update, { new: true }).lean<UserRecord>().exec();
  }

  async delete(id: string): Promise<boolean> {
    if (!isValidObjectId(id)) return false;
    const result = await this.model.deleteOne({ _id: id }).exec();
    return result.deletedCount === 1;
  }

  countActiveAdmins(): Promise<number> {
    return this.model.countDocuments({ role: 'admin', active: true }).exec();
  }

  async anyAdminExists(): Promise<boolean> {
    return (await this.model.exists({ role: 'admin' }).exec()) !== null;
  }
}
