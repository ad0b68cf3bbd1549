import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CommandResult, ExistingCaseCommand } from '@wih/application';
import type { CommandContext } from '@wih/domain';
import type { Request, Response } from 'express';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { uuidParam } from '../http/validation';
import {
  ApprovalDto, ClosureDto, CommandAnswerDto, ExtensionDto, HousingSecuredDto, MediationDto, ReassignmentDto, RejectionDto, VisitDto,
} from './case-commands.dto';
import { commandOptions } from './command-headers';
import { ExecuteCaseCommand, ReceiveReferralCommand } from './commands';
import { ReferralDto } from './referral.dto';

const CASE_ID = uuidParam('id');

type Build<T> = (caseId: string, body: T, context: CommandContext) => ExistingCaseCommand;

/** The write side over HTTP (API.md "Commands"): shape checks here, every rule in the domain. */
@ApiTags('commands')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Controller('api/cases')
export class CasesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('caseworker', 'fachstelle')
  @ApiCreatedResponse({ type: CommandAnswerDto })
  async receive(@Body() body: ReferralDto, @CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const input = { ...body, threatCauses: body.threatCauses ?? [] };
    const result = await this.commands.execute(new ReceiveReferralCommand(input, user, commandOptions(req, user, body)));
    res.status(201).location(`/api/cases/${result.caseId}`);
    return answer(res, result);
  }

  @Post(':id/approval') @HttpCode(200) @Roles('fachstelle') @ApiOkResponse({ type: CommandAnswerDto }) @ApiHeader({ name: 'If-Match', required: false })
  approve(@Param('id', CASE_ID) id: string, @Body() body: ApprovalDto, @CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.run(id, body, user, req, res, (caseId, data, context) => ({ type: 'ApproveReferral', caseId, context, data: { ...data } }));
  }

  @Post(':id/rejection') @HttpCode(200) @Roles('fachstelle') @ApiOkResponse({ type: CommandAnswerDto }) @ApiHeader({ name: 'If-Match', required: false })
  reject(@Param('id', CASE_ID) id: string, @Body() body: RejectionDto, @CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.run(id, body, user, req, res, (caseId, data, context) => ({ type: 'RejectReferral', caseId, context, data: { ...data } }));
  }

  @Post(':id/visits') @HttpCode(200) @Roles('caseworker') @ApiOkResponse({ type: CommandAnswerDto }) @ApiHeader({ name: 'If-Match', required: false })
  visit(@Param('id', CASE_ID) id: string, @Body() body: VisitDto, @CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.run(id, body, user, req, res, (caseId, data, context) => ({ type: 'RecordHomeVisit', caseId, context, data: { ...data, concerns: data.concerns ?? [] } }));
  }

  @Post(':id/mediations') @HttpCode(200) @Roles('caseworker') @ApiOkResponse({ type: CommandAnswerDto }) @ApiHeader({ name: 'If-Match', required: false })
  mediate(@Param('id', CASE_ID) id: string, @Body() body: MediationDto, @CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.run(id, body, user, req, res, (caseId, data, context) => ({ type: 'RecordMediation', caseId, context, data: { ...data, institutionKind: data.institutionKind ?? null } }));
  }

  @Post(':id/housing-secured') @HttpCode(200) @Roles('caseworker') @ApiOkResponse({ type: CommandAnswerDto }) @ApiHeader({ name: 'If-Match', required: false })
  secure(@Param('id', CASE_ID) id: string, @Body() body: HousingSecuredDto, @CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.run(id, body, user, req, res, (caseId, data, context) => ({ type: 'RecordHousingSecured', caseId, context, data: { ...data } }));
  }

  @Post(':id/extension') @HttpCode(200) @Roles('fachstelle') @ApiOkResponse({ type: CommandAnswerDto }) @ApiHeader({ name: 'If-Match', required: false })
  extend(@Param('id', CASE_ID) id: string, @Body() body: ExtensionDto, @CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.run(id, body, user, req, res, (caseId, data, context) => ({ type: 'ExtendHelpPeriod', caseId, context, data: { ...data } }));
  }

  @Post(':id/reassignment') @HttpCode(200) @Roles('fachstelle') @ApiOkResponse({ type: CommandAnswerDto }) @ApiHeader({ name: 'If-Match', required: false })
  reassign(@Param('id', CASE_ID) id: string, @Body() body: ReassignmentDto, @CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.run(id, body, user, req, res, (caseId, data, context) => ({ type: 'ReassignCaseworker', caseId, context, data: { ...data } }));
  }

  @Post(':id/closure') @HttpCode(200) @Roles('caseworker', 'fachstelle') @ApiOkResponse({ type: CommandAnswerDto }) @ApiHeader({ name: 'If-Match', required: false })
  close(@Param('id', CASE_ID) id: string, @Body() body: ClosureDto, @CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.run(id, body, user, req, res, (caseId, data, context) => ({ type: 'CloseCase', caseId, context, data: { ...data } }));
  }

  private async run<T extends object>(caseId: string, body: T, user: AuthenticatedUser, req: Request, res: Response, build: Build<T>) {
    const options = commandOptions(req, user, body);
    const result = await this.commands.execute(new ExecuteCaseCommand((context) => build(caseId, body, context), user, options));
    return answer(res, result);
  }
}

/** `{caseId, revision, position}` with the revision as ETag; positions are decimal strings (> 2^53). */
function answer(res: Response, result: CommandResult): CommandAnswerDto {
  res.setHeader('ETag', `"${result.revision}"`);
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return { caseId: result.caseId, revision: result.revision, position: result.position.toString() };
}
