import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const DEFAULT_PAGE_SIZE = 50;

/** `?page&pageSize` of every server-side paginated admin list; list queries extend it. */
export class PageQueryDto {
  /** 1-based page number (default 1). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  /** Items per page (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

/** The page the query asks for, with defaults, and the matching skip/limit. */
export function pageWindow(query: PageQueryDto): {
  page: number;
  pageSize: number;
  skip: number;
  limit: number;
} {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  return { page, pageSize, skip: (page - 1) * pageSize, limit: pageSize };
}
