import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ReadModels, type ActivityResult } from '@wih/application';
import { ACTIVITY_COMMAND_ROLES } from '@wih/domain';
import { toActivityItem } from '@wih/projections';
import type { Request, Response } from 'express';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { commandOptions } from '../cases/command-headers';
import { answerRef } from '../http/openapi/answers';
import { ApiIdempotencyKey, COMMAND_HEADERS, LOCATION } from '../http/openapi/headers';
import { ApiCommandProblems, ApiQueryProblems, ApiRoute } from '../http/openapi/problems';
import { ValidationProblem } from '../http/problem';
import { ActivitiesQueryDto, ActivityAnswerDto, ActivityDto } from './activities.dto';
import { RecordActivityCommand } from './commands';

/** At most this many activities per answer: a narrower period lists the rest. */
export const ACTIVITY_LIST_LIMIT = 1000;

/**
 * Activities beyond single cases (API.md `POST /api/activities`; DOMAIN.md "Work beyond single
 * cases"): shape checks here, the rules in the domain. Listing shows a caseworker their own
 * activities only; the Fachstelle sees activities in the statistics, not one by one (decision 0024).
 */
@ApiTags('activities')
@ApiBearerAuth()
@Controller('api/activities')
export class ActivitiesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly models: ReadModels,
  ) {}

  @Post()
  @Roles(...ACTIVITY_COMMAND_ROLES.RecordActivity)
  @ApiRoute('Record an activity beyond single cases', ACTIVITY_COMMAND_ROLES.RecordActivity, 'No personal data.')
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: ActivityAnswerDto, headers: { ...COMMAND_HEADERS, ...LOCATION } })
  @ApiCommandProblems()
  async record(
    @Body() body: ActivityDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ActivityAnswerDto> {
    const result: ActivityResult = await this.commands.execute(
      new RecordActivityCommand({ ...body }, user, commandOptions(req, user, body)),
    );
    res.status(201).location(`/api/activities/${result.activityId}`);
    res.setHeader('ETag', `"${result.revision}"`);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { activityId: result.activityId, revision: result.revision, position: result.position.toString() };
  }

  @Get()
  @Roles('caseworker')
  @ApiRoute(
    "The caseworker's own activities",
    ['caseworker'],
    `At most ${ACTIVITY_LIST_LIMIT} per answer (\`truncated\` says when there are more).`,
  )
  @ApiOkResponse({ schema: answerRef('ActivityList') })
  @ApiQueryProblems()
  async list(@Query() query: ActivitiesQueryDto, @CurrentUser() user: AuthenticatedUser) {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw new ValidationProblem([{ field: 'to', message: 'to must not be before from' }], 'not a period');
    }
    if (query.minPosition !== undefined) await this.models.waitFor('activities', BigInt(query.minPosition));
    const docs = await this.models.activities({ recordedBy: user.userId, from: query.from, to: query.to, limit: ACTIVITY_LIST_LIMIT + 1 });
    return { items: docs.slice(0, ACTIVITY_LIST_LIMIT).map(toActivityItem), truncated: docs.length > ACTIVITY_LIST_LIMIT };
  }
}
