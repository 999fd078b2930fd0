import { Injectable } from '@nestjs/common';
import { compare, hash } from 'bcryptjs';

import { AppConfig } from '../../../core/config/app-config';

/** bcrypt limits input to 72 bytes; longer passwords would be silently truncated, so we refuse them. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 12;

/** bcrypt with cost 12 (4 under NODE_ENV=test so the suite stays fast). */
@Injectable()
export class PasswordHasher {
  private readonly rounds: number;
  /** Compared against when a username is unknown, so timing does not reveal which names exist. */
  private readonly dummyHash: Promise<string>;

  constructor(config: AppConfig) {
    this.rounds = config.nodeEnv === 'test' ? 4 : 12;
    this.dummyHash = hash('model-prism-timing-equaliser', this.rounds);
  }

  hash(password: string): Promise<string> {
    return hash(password, this.rounds);
  }

  verify(password: string, passwordHash: string | null): Promise<boolean> {
    if (!passwordHash) return this.dummyHash.then((h) => compare(password, h)).then(() => false);
    return compare(password, passwordHash);
  }
}
