import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';

import { unexpectedNulls } from './null-fields';

export interface FieldError {
  field: string;
  messages: string[];
}

/** Flattens nested class-validator errors into `a.b[0].c` field paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    if (error.constraints) result.push({ field, messages: Object.values(error.constraints) });
    if (error.children?.length) result.push(...flattenValidationErrors(error.children, field));
  }
  return result;
}

const NOT_DTOS: readonly unknown[] = [String, Number, Boolean, Array, Object];

/**
 * Nest's pipe validates a JSON `null` (or a missing body) as `{}`; a body that is there must be a
 * JSON object when the route takes a DTO, so `null`, `[]`, `"x"` or `5` get a 400 instead of
 * passing as an empty update (found by the Schemathesis run, issue 15).
 */
class PrismValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const takesDto = typeof metadata.metatype === 'function' && !NOT_DTOS.includes(metadata.metatype);
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (metadata.type === 'body' && takesDto && value !== undefined && !isObject) {
      throw new BadRequestException({
        message: 'Validation failed: the request body must be a JSON object',
        details: [{ field: '', messages: ['the request body must be a JSON object'] }],
      });
    }
    return super.transform(value, metadata);
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    return [...errors, ...unexpectedNulls(object)];
  }
}

/** The global pipe: unknown fields are rejected, payloads are transformed into DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new PrismValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const summary = details.map((d) => d.messages.join(', ')).join('; ');
      return new BadRequestException({ message: `Validation failed: ${summary}`, details });
    },
  });
}
