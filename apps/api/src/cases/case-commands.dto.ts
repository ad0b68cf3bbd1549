import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CLOSING_REASONS,
  DETAILS_CHANGE_REASONS,
  EXTENSION_REASONS,
  GOAL_ACTORS,
  GOAL_AREAS,
  GOAL_STATUSES,
  HELP_PLAN,
  HOUSEHOLD_VIEWS,
  HOUSING_AT_CLOSE,
  HOUSING_OUTCOMES,
  INSTITUTION_KINDS,
  MEDIATION_KINDS,
  REJECTION_REASONS,
  USER_ID,
  VISIT_CONCERNS,
  VISIT_INTERVAL,
  type ClosingReason,
  type DetailsChangeReason,
  type ExtensionReason,
  type GoalActor,
  type GoalArea,
  type GoalStatus,
  type HouseholdGoalView,
  type HousingAtClose,
  type HousingOutcome,
  type InstitutionKind,
  type MediationKind,
  type RejectionReason,
  type VisitConcern,
} from '@wih/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CanonicalId, IsCalendarDate } from '../http/validation';

class WithNotes {
  @ApiPropertyOptional({ maxLength: 10000 }) @IsOptional() @IsString() @MaxLength(10000) notes?: string;
}

export class ApprovalDto {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() approvedOn!: string;
  @ApiProperty({ pattern: USER_ID.source })
  @IsString()
  @Matches(USER_ID, { message: 'assignedCaseworkerId must be a user id' })
  assignedCaseworkerId!: string;
  @ApiPropertyOptional({ type: 'integer', minimum: VISIT_INTERVAL.min, maximum: VISIT_INTERVAL.max, default: VISIT_INTERVAL.default })
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
  @ApiPropertyOptional({ enum: VISIT_CONCERNS, isArray: true, uniqueItems: true, maxItems: VISIT_CONCERNS.length })
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
  @ApiProperty({ pattern: USER_ID.source })
  @IsString()
  @Matches(USER_ID, { message: 'caseworkerId must be a user id' })
  caseworkerId!: string;
}

export class ClosureDto extends WithNotes {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() closedOn!: string;
  @ApiProperty({ enum: CLOSING_REASONS }) @IsIn(CLOSING_REASONS) reason!: ClosingReason;
  @ApiProperty({ enum: HOUSING_AT_CLOSE }) @IsIn(HOUSING_AT_CLOSE) housingAtClose!: HousingAtClose;
}

export class GoalDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'generated when absent; an unsettled goal of the current plan keeps its id when agreed again',
  })
  @CanonicalId()
  @IsOptional()
  @IsUUID()
  goalId?: string;
  @ApiProperty({ enum: GOAL_AREAS }) @IsIn(GOAL_AREAS) area!: GoalArea;
  @ApiProperty({ enum: GOAL_ACTORS }) @IsIn(GOAL_ACTORS) actor!: GoalActor;
  @ApiProperty({ format: 'date', description: 'not before agreedOn' }) @IsCalendarDate() reviewOn!: string;
  @ApiProperty({ minLength: 1, maxLength: HELP_PLAN.wordingMaxLength, description: 'personal data: sealed, erased with the household' })
  @IsString()
  @MinLength(1)
  @MaxLength(HELP_PLAN.wordingMaxLength)
  wording!: string;
}

export class HelpPlanDto extends WithNotes {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() agreedOn!: string;
  @ApiProperty() @IsBoolean() householdParticipated!: boolean;
  @ApiProperty({ type: [GoalDto], minItems: HELP_PLAN.minGoals, maxItems: HELP_PLAN.maxGoals })
  @IsArray()
  @ArrayMinSize(HELP_PLAN.minGoals)
  @ArrayMaxSize(HELP_PLAN.maxGoals)
  @ValidateNested({ each: true })
  @Type(() => GoalDto)
  goals!: GoalDto[];
}

export class GoalReviewDto extends WithNotes {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() reviewedOn!: string;
  @ApiProperty({ format: 'uuid' }) @CanonicalId() @IsUUID() goalId!: string;
  @ApiProperty({ enum: GOAL_STATUSES }) @IsIn(GOAL_STATUSES) status!: GoalStatus;
  @ApiProperty({ enum: HOUSEHOLD_VIEWS }) @IsIn(HOUSEHOLD_VIEWS) householdView!: HouseholdGoalView;
}

/** Any subset of the referral's household fields, with the same limits; the domain asks for at least one. */
export class HouseholdChangeDto {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(500) address?: string;
  @ApiPropertyOptional({ maxLength: 50 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(50) phone?: string;
}

export class HouseholdDetailsDto {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() changedOn!: string;
  @ApiProperty({ enum: DETAILS_CHANGE_REASONS }) @IsIn(DETAILS_CHANGE_REASONS) reason!: DetailsChangeReason;
  @ApiProperty({ type: HouseholdChangeDto, description: 'personal data: sealed, erased with the household' })
  @IsObject()
  @ValidateNested()
  @Type(() => HouseholdChangeDto)
  household!: HouseholdChangeDto;
}

export class CommandAnswerDto {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'the case stream revision after the write (also the ETag)' }) revision!: number;
  @ApiProperty({ description: 'global log position of the last event written, a decimal string' }) position!: string;
}
