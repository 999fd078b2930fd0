import { ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, ValidateIf, ValidateNested } from 'class-validator';
import 'reflect-metadata';

import { unexpectedNulls } from './null-fields';

class Inner {
  @IsOptional() @IsString() label?: string;
}

class Body {
  @IsOptional() @IsString() name?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() documented?: string | null;
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() cleared?: string | null;
  @IsOptional() @IsIn(['a', null]) listed?: 'a' | null;
  @IsOptional() @ValidateNested() @Type(() => Inner) inner?: Inner;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Inner) items?: Inner[];
}

const check = (plain: object) => unexpectedNulls(plainToInstance(Body, plain));

describe('unexpectedNulls', () => {
  it('refuses null where the property does not opt in, also nested and in lists', () => {
    expect(check({ name: null }).map((e) => e.property)).toEqual(['name']);
    const [inner] = check({ inner: { label: null } });
    expect(inner?.children?.[0]?.constraints).toEqual({ notNull: 'label must not be null' });
    const [items] = check({ items: [{ label: 'x' }, { label: null }] });
    expect(items?.children?.[0]?.property).toBe('1');
  });

  it('accepts null where it means something: nullable in the docs, ValidateIf, or IsIn with null', () => {
    expect(
      check({ documented: null, cleared: null, listed: null, name: 'x', inner: { label: 'y' } }),
    ).toEqual([]);
  });
});
