import { ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ID } from '@wih/domain';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { CanonicalId } from '../http/validation';

/** A calendar date (a whole UTC day) or an ISO 8601 instant with a zone. */
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const WHEN = 'a date (YYYY-MM-DD, a UTC day) or an ISO 8601 instant with zone';

export class AccessLogQueryDto {
  @ApiPropertyOptional({ description: `from (inclusive): ${WHEN}` })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: `from must be ${WHEN}` })
  from?: string;

  @ApiPropertyOptional({ description: `to (inclusive; a date includes the whole day): ${WHEN}` })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: `to must be ${WHEN}` })
  to?: string;

  @ApiPropertyOptional({ pattern: USER_ID.source })
  @IsOptional()
  @Matches(USER_ID, { message: 'userId must be a user id' })
  userId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @CanonicalId()
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}
