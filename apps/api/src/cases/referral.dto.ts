import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  EXISTING_AID,
  HOUSING_SITUATIONS,
  REFERRAL_SOURCES,
  TARGET_GROUPS,
  THREAT_CAUSES,
  type ExistingAid,
  type HousingSituation,
  type ReferralSource,
  type TargetGroup,
  type ThreatCause,
} from '@wih/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CanonicalId, IsCalendarDate } from '../http/validation';

export class HouseholdDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @MinLength(1) @MaxLength(500) address!: string;
  @ApiPropertyOptional({ maxLength: 50 }) @IsOptional() @IsString() @MaxLength(50) phone?: string;
}

export class ReferralDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'client-chosen case id; generated when absent' })
  @CanonicalId()
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the household of an earlier case (repeat case); new when absent' })
  @CanonicalId()
  @IsOptional()
  @IsUUID()
  householdId?: string;

  @ApiProperty({ format: 'date' }) @IsCalendarDate() receivedOn!: string;
  @ApiProperty({ enum: REFERRAL_SOURCES }) @IsIn(REFERRAL_SOURCES) referralSource!: ReferralSource;
  @ApiProperty({ enum: TARGET_GROUPS }) @IsIn(TARGET_GROUPS) targetGroup!: TargetGroup;
  @ApiProperty({ enum: HOUSING_SITUATIONS }) @IsIn(HOUSING_SITUATIONS) housingSituation!: HousingSituation;

  @ApiPropertyOptional({ enum: THREAT_CAUSES, isArray: true, uniqueItems: true, maxItems: THREAT_CAUSES.length })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(THREAT_CAUSES.length)
  @IsIn(THREAT_CAUSES, { each: true })
  threatCauses?: ThreatCause[];

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 30 }) @IsInt() @Min(1) @Max(30) adults!: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 30 }) @IsInt() @Min(0) @Max(30) children!: number;

  @ApiProperty({
    enum: EXISTING_AID,
    isArray: true,
    uniqueItems: true,
    maxItems: EXISTING_AID.length,
    description: 'comparable measures already installed; any blocks approval',
  })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(EXISTING_AID.length)
  @IsIn(EXISTING_AID, { each: true })
  existingAid!: ExistingAid[];

  @ApiProperty() @IsBoolean() consentGiven!: boolean;

  // @ValidateNested alone lets a missing household through: @IsObject makes it required.
  @ApiProperty({ type: HouseholdDto }) @IsObject() @ValidateNested() @Type(() => HouseholdDto) household!: HouseholdDto;

  @ApiPropertyOptional({ maxLength: 10000 }) @IsOptional() @IsString() @MaxLength(10000) notes?: string;
}
