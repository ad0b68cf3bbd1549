import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTIVITY_KINDS, ACTIVITY_LIMITS, DISTRICTS, PARTNER_KINDS, type ActivityKind, type District, type PartnerKind } from '@wih/domain';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsUUID, Max, Min, ValidateBy } from 'class-validator';
import { CanonicalId, IsCalendarDate } from '../http/validation';
import { ReadQueryDto } from '../queries/query.dto';

/** class-validator's IsDivisibleBy takes whole divisors only: quarter hours are checked here. */
const InSteps = (step: number) =>
  ValidateBy({
    name: 'inSteps',
    validator: {
      validate: (value: unknown) => typeof value === 'number' && Number.isInteger(value / step),
      defaultMessage: (args) => `${args?.property ?? 'the value'} must be in steps of ${step}`,
    },
  });

/**
 * `POST /api/activities`: codes and numbers only. There is no field for free text, and any field
 * beyond these is refused (400 `validation`, like every unknown field), so no name or note can
 * come in with an activity.
 */
export class ActivityDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'client-chosen activity id; derived from the Idempotency-Key or generated when absent',
  })
  @CanonicalId()
  @IsOptional()
  @IsUUID()
  activityId?: string;

  @ApiProperty({ format: 'date', description: 'the day of the activity, not in the future' }) @IsCalendarDate() on!: string;
  @ApiProperty({ enum: ACTIVITY_KINDS }) @IsIn(ACTIVITY_KINDS) kind!: ActivityKind;

  @ApiProperty({
    enum: PARTNER_KINDS,
    isArray: true,
    uniqueItems: true,
    maxItems: PARTNER_KINDS.length,
    description: 'the referral-source codes, each at most once',
  })
  @IsArray()
  @ArrayMaxSize(PARTNER_KINDS.length)
  @ArrayUnique()
  @IsIn(PARTNER_KINDS, { each: true })
  partnerKinds!: PartnerKind[];

  @ApiProperty({ enum: DISTRICTS }) @IsIn(DISTRICTS) district!: District;

  @ApiProperty({ minimum: ACTIVITY_LIMITS.hoursStep, maximum: ACTIVITY_LIMITS.hoursMax, multipleOf: ACTIVITY_LIMITS.hoursStep })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(ACTIVITY_LIMITS.hoursStep)
  @Max(ACTIVITY_LIMITS.hoursMax)
  @InSteps(ACTIVITY_LIMITS.hoursStep)
  hours!: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: ACTIVITY_LIMITS.participantsMax })
  @IsInt()
  @Min(0)
  @Max(ACTIVITY_LIMITS.participantsMax)
  participants!: number;
}

export class ActivityAnswerDto {
  @ApiProperty({ format: 'uuid' }) activityId!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'the activity stream revision after the write (also the ETag)' })
  revision!: number;
  @ApiProperty({ description: 'global log position of the last event written, a decimal string' }) position!: string;
}

/** `GET /api/activities?from=&to=&minPosition=`: the period by the activities' dates, both inclusive. */
export class ActivitiesQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDate() from?: string;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDate() to?: string;
}
