import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

import { type Role, ROLES } from '../rbac/permissions';

export const USER_SOURCES = ['local', 'ldap'] as const;
export type UserSource = (typeof USER_SOURCES)[number];

/** A console/API user. Usernames are stored lower-cased, which makes them unique case-insensitively. */
@Schema({ collection: 'users', timestamps: true })
export class User {
  @Prop({ type: String, required: true, unique: true, lowercase: true, trim: true })
  username!: string;

  /** bcrypt hash; absent for LDAP users (their password lives in the directory). */
  @Prop({ type: String, default: null })
  passwordHash!: string | null;

  @Prop({ type: String, required: true, enum: USER_SOURCES })
  source!: UserSource;

  @Prop({ type: String, required: true, enum: ROLES, index: true })
  role!: Role;

  /** When true, LDAP logins keep this role instead of deriving it from the user's groups. */
  @Prop({ type: Boolean, default: false })
  rolePinned!: boolean;

  /** Tenants a tenant-scoped role may see (ignored for global roles). */
  @Prop({ type: [String], default: [] })
  tenantIds!: string[];

  @Prop({ type: Boolean, default: true })
  active!: boolean;

  @Prop({ type: Boolean, default: false })
  mustChangePassword!: boolean;

  /** Bumped on logout, password change and disable: every token carrying an older `tv` is refused. */
  @Prop({ type: Number, default: 0 })
  tokenVersion!: number;

  @Prop({ type: Date, default: null })
  lastLoginAt!: Date | null;

  /** The directory entry of an LDAP user, for support and audit. */
  @Prop({ type: String, default: null })
  ldapDn!: string | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
export type UserRecord = User & { _id: Types.ObjectId };
