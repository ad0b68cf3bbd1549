import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { resolveAsOf } from '@wih/application';
import { IsIn, IsOptional, IsString, MaxLength, registerDecorator, type ValidationArguments } from 'class-validator';
import { IsCalendarDate } from '../http/validation';

export const REPORT_FORMATS = ['json', 'csv', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const SEPARATORS = ['comma', 'semicolon'] as const;
export type Separator = (typeof SEPARATORS)[number];

const AS_OF_DESCRIPTION =
  'only events recorded at or before this instant count ("what did we know then"); ISO 8601 with a zone, or a ' +
  'calendar date meaning the end of that day in Cologne (today: now); default now; never in the future';

/** A usable `asOf`: checked here so that its problem is listed with the other fields'. */
export function IsAsOf() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAsOf',
      target: object.constructor,
      propertyName,
      options: {
        message: (args: ValidationArguments) => {
          try {
            resolveAsOf(args.value as string);
            return `${propertyName} is invalid`;
          } catch (error) {
            return (error as Error).message;
          }
        },
      },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            resolveAsOf(value);
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

/** `to` must not be before `from` (both already calendar dates, else their own problem is enough). */
function NotBefore(other: string) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'notBefore',
      target: object.constructor,
      propertyName,
      constraints: [other],
      options: { message: `${propertyName} must not be before ${other}` },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const start = (args.object as Record<string, unknown>)[other];
          return typeof value !== 'string' || typeof start !== 'string' || start <= value;
        },
      },
    });
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ description: AS_OF_DESCRIPTION, example: '2026-04-30T22:00:00Z' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsAsOf()
  asOf?: string;
}

/** `?from=&to=&asOf=`: a period of business dates, both inclusive. */
export class StatisticsQueryDto extends AsOfQueryDto {
  @ApiProperty({ format: 'date', description: 'first business date of the period (inclusive)' }) @IsCalendarDate() from!: string;
  @ApiProperty({ format: 'date', description: 'last business date of the period (inclusive)' })
  @IsCalendarDate()
  @NotBefore('from')
  to!: string;
}

export class AnnualReportQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' }) @IsOptional() @IsIn(REPORT_FORMATS) format?: ReportFormat;
  @ApiPropertyOptional({ enum: SEPARATORS, default: 'comma', description: 'CSV field separator (semicolon for German spreadsheets)' })
  @IsOptional()
  @IsIn(SEPARATORS)
  separator?: Separator;
}

/** `?from=&to=&asOf=&format=`: a report for any period of at most MAX_REPORT_DAYS (checked by the controller). */
export class PeriodicReportQueryDto extends StatisticsQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' }) @IsOptional() @IsIn(REPORT_FORMATS) format?: ReportFormat;
  @ApiPropertyOptional({ enum: SEPARATORS, default: 'comma', description: 'CSV field separator (semicolon for German spreadsheets)' })
  @IsOptional()
  @IsIn(SEPARATORS)
  separator?: Separator;
}

export class CaseExportQueryDto extends StatisticsQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'json' }) @IsOptional() @IsIn(EXPORT_FORMATS) format?: ExportFormat;
  @ApiPropertyOptional({ enum: SEPARATORS, default: 'comma', description: 'CSV field separator (semicolon for German spreadsheets)' })
  @IsOptional()
  @IsIn(SEPARATORS)
  separator?: Separator;
}

export const separatorOf = (separator: Separator | undefined): ',' | ';' => (separator === 'semicolon' ? ';' : ',');
