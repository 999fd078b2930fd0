import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate } from 'class-validator';

/** `2026-01-31`, or `2026-01-31T12:00`, with optional seconds, fraction and `Z`/`±hh:mm` offset. */
const ISO_DATE_OR_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/i;

/** The Date an ISO 8601 string names, or undefined for anything else (numbers, `0.5`, `May 1`). */
export function parseIsoDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !ISO_DATE_OR_DATE_TIME.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * An ISO 8601 date or date-time field, turned into a Date. `@Type(() => Date)` would accept
 * whatever `new Date()` makes sense of (`0.5` is 1 May 2000 to V8, `5` is 1970); this refuses it
 * with a 400 that says what is expected. Found by the Schemathesis run (issue 15).
 */
export function IsIsoDate(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      value === undefined || value === null || value instanceof Date ? value : (parseIsoDate(value) ?? value),
    ),
    IsDate({ message: '$property must be an ISO 8601 date or date-time, e.g. 2026-01-31T12:00:00Z' }),
  );
}
