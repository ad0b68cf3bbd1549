import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CLOSING_REASONS,
  EXTENSION_REASONS,
  HOUSING_AT_CLOSE,
  HOUSING_OUTCOMES,
  INSTITUTION_KINDS,
  MEDIATION_KINDS,
  REJECTION_REASONS,
  USER_ID,
  VISIT_CONCERNS,
  VISIT_INTERVAL,
  type ClosingReason,
  type ExtensionReason,
  type HousingAtClose,
  type HousingOutcome,
  type InstitutionKind,
  type MediationKind,
  type RejectionReason,
  type VisitConcern,
} from '@wih/domain';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsCalendarDate } from '../http/validation';

class WithNotes {
  @ApiPropertyOptional({ maxLength: 10000 }) @IsOptional() @IsString() @MaxLength(10000) notes?: string;
}

export class ApprovalDto {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() approvedOn!: string;
  @ApiProperty() @IsString() @Matches(USER_ID, { message: 'assignedCaseworkerId must be a user id' }) assignedCaseworkerId!: string;
  @ApiPropertyOptional({ minimum: VISIT_INTERVAL.min, maximum: VISIT_INTERVAL.max, default: VISIT_INTERVAL.default })
  @IsOptional()
  @IsInt()
  @Min(VISIT_INTERVAL.min)
  @Max(VISIT_INTERVAL.max)
  visitIntervalDays?: number;
  @ApiProperty({ format: 'date', description: 'at most 12 months after approvedOn' }) @IsCalendarDate() plannedEndOn!: string;
}

export class RejectionDto extends WithNotes {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() rejectedOn!: string;
  @ApiProperty({ enum: REJECTION_REASONS }) @IsIn(REJECTION_REASONS) reason!: RejectionReason;
}

export class VisitDto extends WithNotes {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() visitedOn!: string;
  @ApiProperty() @IsBoolean() householdMet!: boolean;
  @ApiPropertyOptional({ enum: VISIT_CONCERNS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(VISIT_CONCERNS.length)
  @IsIn(VISIT_CONCERNS, { each: true })
  concerns?: VisitConcern[];
}

export class MediationDto extends WithNotes {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() mediatedOn!: string;
  @ApiProperty({ enum: MEDIATION_KINDS }) @IsIn(MEDIATION_KINDS) kind!: MediationKind;
  @ApiPropertyOptional({ enum: INSTITUTION_KINDS }) @IsOptional() @IsIn(INSTITUTION_KINDS) institutionKind?: InstitutionKind;
}

export class HousingSecuredDto {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() securedOn!: string;
  @ApiProperty({ enum: HOUSING_OUTCOMES }) @IsIn(HOUSING_OUTCOMES) outcome!: HousingOutcome;
}

export class ExtensionDto {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() plannedEndOn!: string;
  @ApiProperty({ enum: EXTENSION_REASONS }) @IsIn(EXTENSION_REASONS) reason!: ExtensionReason;
}

export class ReassignmentDto {
  @ApiProperty() @IsString() @Matches(USER_ID, { message: 'caseworkerId must be a user id' }) caseworkerId!: string;
}

export class ClosureDto extends WithNotes {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() closedOn!: string;
  @ApiProperty({ enum: CLOSING_REASONS }) @IsIn(CLOSING_REASONS) reason!: ClosingReason;
  @ApiProperty({ enum: HOUSING_AT_CLOSE }) @IsIn(HOUSING_AT_CLOSE) housingAtClose!: HousingAtClose;
}

export class CommandAnswerDto {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ description: 'the case stream revision after the write (also the ETag)' }) revision!: number;
  @ApiProperty({ description: 'global log position of the last event written, a decimal string' }) position!: string;
}
