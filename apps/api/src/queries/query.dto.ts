import { ApiPropertyOptional } from '@nestjs/swagger';
import { CASELOAD_SORTS, type CaseloadSort } from '@wih/application';
import { USER_ID } from '@wih/domain';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const STATUSES = ['referred', 'active', 'rejected', 'closed'] as const;

/** `?minPosition=`: read-your-writes (API.md). Query values arrive as strings and are checked as such. */
export class ReadQueryDto {
  @ApiPropertyOptional({ description: 'wait (≤ 5 s) until the read model has applied this log position', pattern: '^\\d{1,30}$' })
  @IsOptional()
  @Matches(/^\d{1,30}$/, { message: 'minPosition must be a log position (digits)' })
  minPosition?: string;
}

export class CaseloadQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ pattern: USER_ID.source })
  @IsOptional()
  @IsString()
  @Matches(USER_ID, { message: 'caseworkerId must be a user id' })
  caseworkerId?: string;

  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) overdue?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'part of the household name', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: CASELOAD_SORTS, default: 'nextVisitDueOn' }) @IsOptional() @IsIn(CASELOAD_SORTS) sort?: CaseloadSort;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) cursor?: string;

  // A query value is a string; the document says integer, as the pattern allows no other.
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Matches(/^(?:[1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be 1–200' })
  limit?: string;
}

/**
 * `POST /api/caseload/search`: the caseload query with its criteria in the body, so that a name
 * search (`q`) stays out of URLs, i.e. out of proxy logs and browser history. JSON types here:
 * `overdue` a boolean, `limit` a number.
 */
export class CaseloadSearchDto extends ReadQueryDto {
  @ApiPropertyOptional({ pattern: USER_ID.source })
  @IsOptional()
  @IsString()
  @Matches(USER_ID, { message: 'caseworkerId must be a user id' })
  caseworkerId?: string;

  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() overdue?: boolean;

  @ApiPropertyOptional({ description: 'part of the household name', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: CASELOAD_SORTS, default: 'nextVisitDueOn' }) @IsOptional() @IsIn(CASELOAD_SORTS) sort?: CaseloadSort;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 }) @IsOptional() @IsInt() @Min(1) @Max(200) limit?: number;
}
