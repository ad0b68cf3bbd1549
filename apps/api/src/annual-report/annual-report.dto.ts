import { ApiProperty } from '@nestjs/swagger';
import { REPORT_SECTIONS, REPORT_TEXT_MAX_LENGTH, reportTextLength } from '@wih/domain';
import { IsString, registerDecorator } from 'class-validator';
import { IsAsOf } from '../evaluation/evaluation.dto';

/** The domain's length rule at the edge (400 `validation`): characters as the domain counts them. */
function IsReportTextLength() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isReportTextLength',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be at most ${REPORT_TEXT_MAX_LENGTH} characters` },
      validator: { validate: (value: unknown) => typeof value !== 'string' || reportTextLength(value) <= REPORT_TEXT_MAX_LENGTH },
    });
}

export class ReportTextDto {
  @ApiProperty({
    maxLength: REPORT_TEXT_MAX_LENGTH,
    description: 'the section text (plain text; blank lines separate paragraphs); may be empty. Must name no household.',
  })
  @IsString()
  @IsReportTextLength()
  text!: string;
}

export class FinalisationDto {
  @ApiProperty({
    description:
      'the figures are frozen as known at this instant (a calendar date: the end of that day in Cologne); not before the end of the year',
    example: '2026-03-31',
  })
  @IsString()
  @IsAsOf()
  asOf!: string;
}

export class ReportTextAnswerDto {
  @ApiProperty({ type: 'integer', minimum: 2000 }) year!: number;
  @ApiProperty({ enum: REPORT_SECTIONS }) section!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: "the section's revision after the draft (also the ETag)" }) revision!: number;
  @ApiProperty({ description: 'global log position, decimal string' }) position!: string;
}

export class FinalisationAnswerDto {
  @ApiProperty({ type: 'integer', minimum: 2000 }) year!: number;
  @ApiProperty() asOf!: string;
  @ApiProperty({ description: "SHA-256 of the frozen figures' canonical JSON" }) figuresDigest!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) revision!: number;
  @ApiProperty({ description: 'global log position, decimal string' }) position!: string;
}
