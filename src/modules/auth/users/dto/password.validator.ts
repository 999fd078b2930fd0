import { applyDecorators } from '@nestjs/common';
import { IsString, MaxLength, MinLength, ValidateBy } from 'class-validator';

import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH } from '../password-hasher';

/** A new password: 12+ characters, at most 72 bytes (bcrypt ignores anything longer). */
export function IsNewPassword(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    MinLength(MIN_PASSWORD_LENGTH),
    MaxLength(MAX_PASSWORD_BYTES),
    ValidateBy({
      name: 'maxPasswordBytes',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && Buffer.byteLength(value, 'utf8') <= MAX_PASSWORD_BYTES,
        defaultMessage: () => `$property must be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8)`,
      },
    }),
  );
}
