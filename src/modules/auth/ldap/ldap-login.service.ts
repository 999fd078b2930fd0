import { Injectable } from '@nestjs/common';

import type { UserRecord } from '../users/user.schema';

/** LDAP login (implemented in the next step). */
@Injectable()
export class LdapLoginService {
  async login(
    _username: string,
    _password: string,
    _existing: UserRecord | null,
  ): Promise<UserRecord | null> {
    return null;
  }
}
