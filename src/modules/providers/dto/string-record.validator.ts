import { ValidateBy, type ValidationOptions } from 'class-validator';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
/** Headers a provider config must not override (they are set per request). */
const FORBIDDEN = new Set(['host', 'content-length', 'content-type', 'connection', 'transfer-encoding']);

/** An object of HTTP header name → string value (at most 30 headers, 4 KB per value). */
export function IsHeaderRecord(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHeaderRecord',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          return (
            entries.length <= 30 &&
            entries.every(
              ([name, v]) =>
                HEADER_NAME.test(name) &&
                !FORBIDDEN.has(name.toLowerCase()) &&
                typeof v === 'string' &&
                v.length <= 4096 &&
                !/[\r\n]/.test(v),
            )
          );
        },
        defaultMessage: () =>
          '$property must map valid header names (not host/content-*) to single-line strings (max 30)',
      },
    },
    options,
  );
}
