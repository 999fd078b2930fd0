import type { ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

/** Where `@ApiProperty()` keeps its options (`DECORATORS.API_MODEL_PROPERTIES` in @nestjs/swagger). */
const SWAGGER_PROPERTY = 'swagger/apiModelProperties';

/**
 * Whether a DTO property takes `null` on purpose: its `@ApiProperty` says `nullable: true`, it is
 * validated only `@ValidateIf(value !== null)`, or `@IsIn([..., null])` lists it.
 */
export function acceptsNull(target: object, property: string): boolean {
  const documented = Reflect.getMetadata(SWAGGER_PROPERTY, target, property) as
    { nullable?: boolean } | undefined;
  if (documented?.nullable === true) return true;
  return getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .some(
      (meta) =>
        meta.propertyName === property &&
        ((meta.type === 'conditionalValidation' && meta.name !== 'isOptional') ||
          (meta.name === 'isIn' &&
            Array.isArray(meta.constraints?.[0]) &&
            meta.constraints[0].includes(null))),
    );
}

function isDto(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor !== Object;
}

/**
 * `@IsOptional()` lets `null` pass as if the field were absent, but services read `null` as a
 * value (`name.trim()`, `{...base, ...{budgets: null}}`): 500s and stored nulls found by the
 * Schemathesis run. A `null` is therefore an error unless the property opts in (see acceptsNull).
 */
export function unexpectedNulls(dto: object): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const [property, value] of Object.entries(dto)) {
    if (value === null) {
      if (!acceptsNull(dto, property)) {
        errors.push({ property, children: [], constraints: { notNull: `${property} must not be null` } });
      }
    } else if (isDto(value)) {
      const children = unexpectedNulls(value);
      if (children.length > 0) errors.push({ property, children });
    } else if (Array.isArray(value)) {
      const children = value.flatMap((item: unknown, index) => {
        const nested = isDto(item) ? unexpectedNulls(item) : [];
        return nested.length > 0 ? [{ property: String(index), children: nested }] : [];
      });
      if (children.length > 0) errors.push({ property, children });
    }
  }
  return errors;
}
