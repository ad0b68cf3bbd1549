import { applyDecorators, Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { CommandResult } from '@wih/application';
import { COMMAND_ROLES } from '@wih/domain';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { COMMAND_HEADERS, LOCATION, ApiIdempotencyKey, ApiIfMatch } from '../http/openapi/headers';
import { ApiCommandProblems, ApiRoute } from '../http/openapi/problems';
import { uuidParam } from '../http/validation';
import {
  ApprovalDto,
  ClosureDto,
  CommandAnswerDto,
  ExtensionDto,
  GoalReviewDto,
  HelpPlanDto,
  HouseholdDetailsDto,
  HousingSecuredDto,
  MediationDto,
  ReassignmentDto,
  RejectionDto,
  VisitDto,
} from './case-commands.dto';
import { commandOptions } from './command-headers';
import { ExecuteCaseCommand, ReceiveReferralCommand, type CaseCommandData } from './commands';
import { ReadStoreScrub } from '../households/read-store-scrub';
import { ReferralDto } from './referral.dto';

const CASE_ID = uuidParam('id');

type CaseCommandType = CaseCommandData['type'];
type DataOf<T extends CaseCommandType> = Extract<CaseCommandData, { type: T }>['data'];

/** A command route on an existing case: `POST /api/cases/:id/<path>`, open to the roles the domain gives the command. */
const CaseCommandRoute = (path: string, type: CaseCommandType, summary: string) =>
  applyDecorators(
    Post(`:id/${path}`),
    HttpCode(200),
    Roles(...COMMAND_ROLES[type]),
    ApiRoute(summary, COMMAND_ROLES[type]),
    ApiParam({ name: 'id', format: 'uuid', description: 'the case' }),
    ApiOkResponse({ type: CommandAnswerDto, headers: COMMAND_HEADERS }),
    ApiIfMatch(),
    // 404 unknown case (`case-not-found`), 412 a stale If-Match.
    ApiCommandProblems(404, 412),
  );

/** The write side over HTTP (API.md "Commands"): shape checks here, every rule in the domain. */
@ApiTags('commands')
@ApiBearerAuth()
@ApiIdempotencyKey()
@Controller('api/cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly scrub: ReadStoreScrub,
  ) {}

  @Post()
  @Roles(...COMMAND_ROLES.ReceiveReferral)
  @ApiRoute('Receive a referral (opens a case)', COMMAND_ROLES.ReceiveReferral)
  @ApiCreatedResponse({ type: CommandAnswerDto, headers: { ...COMMAND_HEADERS, ...LOCATION } })
  @ApiCommandProblems()
  async receive(
    @Body() body: ReferralDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = { ...body, threatCauses: body.threatCauses ?? [] };
    const result = await this.commands.execute(new ReceiveReferralCommand(input, user, commandOptions(req, user, body)));
    res.status(201).location(`/api/cases/${result.caseId}`);
    return answer(res, result);
  }

  @CaseCommandRoute('approval', 'ApproveReferral', 'Approve the referral')
  approve(
    @Param('id', CASE_ID) id: string,
    @Body() body: ApprovalDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('ApproveReferral', id, { ...body }, body, user, req, res);
  }

  @CaseCommandRoute('rejection', 'RejectReferral', 'Reject the referral')
  reject(
    @Param('id', CASE_ID) id: string,
    @Body() body: RejectionDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('RejectReferral', id, { ...body }, body, user, req, res);
  }

  @CaseCommandRoute('visits', 'RecordHomeVisit', 'Record a home visit')
  visit(
    @Param('id', CASE_ID) id: string,
    @Body() body: VisitDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('RecordHomeVisit', id, { ...body, concerns: body.concerns ?? [] }, body, user, req, res);
  }

  @CaseCommandRoute('mediations', 'RecordMediation', 'Record a mediation')
  mediate(
    @Param('id', CASE_ID) id: string,
    @Body() body: MediationDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('RecordMediation', id, { ...body, institutionKind: body.institutionKind ?? null }, body, user, req, res);
  }

  @CaseCommandRoute('housing-secured', 'RecordHousingSecured', 'Record that the housing is secured')
  secure(
    @Param('id', CASE_ID) id: string,
    @Body() body: HousingSecuredDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('RecordHousingSecured', id, { ...body }, body, user, req, res);
  }

  @CaseCommandRoute('extension', 'ExtendHelpPeriod', 'Extend the help period')
  extend(
    @Param('id', CASE_ID) id: string,
    @Body() body: ExtensionDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('ExtendHelpPeriod', id, { ...body }, body, user, req, res);
  }

  @CaseCommandRoute('reassignment', 'ReassignCaseworker', 'Reassign the caseworker')
  reassign(
    @Param('id', CASE_ID) id: string,
    @Body() body: ReassignmentDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('ReassignCaseworker', id, { ...body }, body, user, req, res);
  }

  @CaseCommandRoute('closure', 'CloseCase', 'Close the case')
  close(
    @Param('id', CASE_ID) id: string,
    @Body() body: ClosureDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('CloseCase', id, { ...body }, body, user, req, res);
  }

  @CaseCommandRoute('help-plan', 'AgreeHelpPlan', 'Agree a help plan')
  agreeHelpPlan(
    @Param('id', CASE_ID) id: string,
    @Body() body: HelpPlanDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    // A goal without an id gets one here (the domain draws no random numbers); a retry with the same
    // Idempotency-Key is answered from the first write, so it never sees other ids.
    const goals = body.goals.map(({ goalId, area, actor, reviewOn, wording }) => ({
      goalId: goalId ?? randomUUID(),
      area,
      actor,
      reviewOn,
      wording,
    }));
    return this.run('AgreeHelpPlan', id, { ...body, goals }, body, user, req, res);
  }

  @CaseCommandRoute('goal-reviews', 'ReviewGoal', 'Review a goal of the help plan')
  reviewGoal(
    @Param('id', CASE_ID) id: string,
    @Body() body: GoalReviewDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('ReviewGoal', id, { ...body }, body, user, req, res);
  }

  @CaseCommandRoute('household-details', 'ChangeHouseholdDetails', "Change or correct the household's details")
  async changeHouseholdDetails(
    @Param('id', CASE_ID) id: string,
    @Body() body: HouseholdDetailsDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    // Only the fields sent: an absent field keeps its value (the DTO instance may hold undefined ones).
    const household = Object.fromEntries(Object.entries({ ...body.household }).filter(([, value]) => value !== undefined));
    const answered = await this.run(
      'ChangeHouseholdDetails',
      id,
      { changedOn: body.changedOn, reason: body.reason, household },
      body,
      user,
      req,
      res,
    );
    // The replaced details linger in the read store's files (its write-ahead log) like erased ones: scrubbed the same way.
    void this.scrub.afterErasure();
    return answered;
  }

  /** `body` as it came (the idempotency fingerprint), `data` as the command carries it. */
  private async run<T extends CaseCommandType>(
    type: T,
    caseId: string,
    data: DataOf<T>,
    body: object,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
  ) {
    const command = { type, caseId, data } as CaseCommandData;
    const result = await this.commands.execute(new ExecuteCaseCommand(command, user, commandOptions(req, user, body)));
    return answer(res, result);
  }
}

/** `{caseId, revision, position}` with the revision as ETag; positions are decimal strings (> 2^53). */
function answer(res: Response, result: CommandResult): CommandAnswerDto {
  res.setHeader('ETag', `"${result.revision}"`);
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return { caseId: result.caseId, revision: result.revision, position: result.position.toString() };
}
