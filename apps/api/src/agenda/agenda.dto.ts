import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ReadQueryDto } from '../queries/query.dto';

/** `GET /api/agenda?minPosition=&limit=`: `limit` bounds each kind, not the whole answer. */
export class AgendaQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'items per kind' })
  @IsOptional()
  @Matches(/^(?:[1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be 1–200' })
  limit?: string;
}
