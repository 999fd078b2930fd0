import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';

/** Domain errors of the auth module; each is already the HTTP error the admin API answers. */
export class InvalidCredentialsError extends UnauthorizedException {
  constructor() {
    super({ message: 'Invalid username or password', details: { code: 'invalid_credentials' } });
  }
}

export class AccountDisabledError extends ForbiddenException {
  constructor() {
    super({ message: 'This account is disabled', details: { code: 'account_disabled' } });
  }
}

export class UserNotFoundError extends NotFoundException {
  constructor(id: string) {
    super(`User ${id} not found`);
  }
}

export class UsernameTakenError extends ConflictException {
  constructor(username: string) {
    super({ message: `A user named "${username}" already exists`, details: { code: 'username_taken' } });
  }
}

export class LastAdminError extends ConflictException {
  constructor(action: string) {
    super({
      message: `Cannot ${action} the last active admin; make another user admin first`,
      details: { code: 'last_admin' },
    });
  }
}

export class SelfModificationError extends ForbiddenException {
  constructor(action: string) {
    super({ message: `You cannot ${action} your own account`, details: { code: 'self_modification' } });
  }
}

export class SetupClosedError extends ConflictException {
  constructor() {
    super({ message: 'Setup is closed: an admin already exists', details: { code: 'setup_closed' } });
  }
}

export class WrongCurrentPasswordError extends BadRequestException {
  constructor() {
    super({
      message: 'Validation failed: current password is wrong',
      details: [{ field: 'currentPassword', messages: ['current password is wrong'] }],
    });
  }
}

export class LocalOnlyError extends BadRequestException {
  constructor(what: string) {
    super({
      message: `${what} is only possible for local users; LDAP passwords are managed in the directory`,
      details: { code: 'ldap_user' },
    });
  }
}

export class PasswordPolicyError extends BadRequestException {
  constructor(field: string, reason: string) {
    super({ message: `Validation failed: ${reason}`, details: [{ field, messages: [reason] }] });
  }
}
