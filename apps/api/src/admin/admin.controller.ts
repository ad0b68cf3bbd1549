import { Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  collectionOf,
  listParked,
  readActive,
  requestParkedActionIfParked,
  type ParkedAction,
  type ProjectionManager,
} from '@wih/application';
import { notFound } from '@wih/domain';
import { PROJECTIONS } from '@wih/projections';
import type { ReadStore } from '@wih/read-store';
import type { Response } from 'express';
import { Roles } from '../auth/roles';
import { answerRef } from '../http/openapi/answers';
import { LOCATION } from '../http/openapi/headers';
import { ApiProblems, ApiRoute } from '../http/openapi/problems';
import { ProjectionsService } from '../projections/projections.service';
import { InjectReadStore } from '../store/read-store.provider';

const ADMIN = ['admin'] as const;
// Any other name is 404 (the manager does not exist): the enum tells a client the names there are.
const ApiProjectionName = () =>
  ApiParam({ name: 'name', enum: PROJECTIONS.map((projection) => projection.name), description: 'the projection' });
const ApiAdminProblems = (...more: number[]) => ApiProblems(401, 403, 429, 503, ...more);
const list = (name: string) => ({ type: 'array', items: answerRef(name) });

/** Operations on the projections (API.md "Operations"): status, zero-downtime rebuilds, parked events. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/admin/projections')
export class AdminController {
  constructor(
    private readonly projections: ProjectionsService,
    @InjectReadStore() private readonly reads: ReadStore,
  ) {}

  @Get()
  @ApiRoute('The projections and where they are', ADMIN)
  @ApiOkResponse({ schema: list('ProjectionStatus') })
  @ApiAdminProblems()
  async list() {
    return this.projections.statuses();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiRoute('Start a zero-downtime rebuild', ADMIN, 'The process that holds the projection runs it; poll the Location.')
  @ApiProjectionName()
  @ApiResponse({ status: 202, schema: answerRef('Rebuild'), headers: LOCATION })
  @ApiAdminProblems(404, 409)
  async rebuild(@Param('name') name: string, @Res({ passthrough: true }) res: Response) {
    // Recorded in the read store; the process that holds the projection runs it (maybe another one).
    const { status: rebuild } = await this.manager(name).startRebuild();
    res.location(`/api/admin/projections/${name}/rebuild`);
    return rebuild;
  }

  @Get(':name/rebuild')
  @ApiRoute("The rebuild's progress", ADMIN)
  @ApiProjectionName()
  @ApiOkResponse({ schema: answerRef('Rebuild') })
  @ApiAdminProblems(404)
  async rebuildStatus(@Param('name') name: string) {
    const status = await this.manager(name).rebuildStatus();
    if (!status) throw new NotFoundException(`no rebuild of ${name} was started`);
    return status;
  }

  @Delete(':name/rebuild')
  @ApiRoute('Cancel the rebuild', ADMIN)
  @ApiProjectionName()
  @ApiOkResponse({ schema: answerRef('Rebuild') })
  @ApiAdminProblems(404)
  async cancel(@Param('name') name: string) {
    const status = await this.manager(name).cancelRebuild();
    if (!status) throw new NotFoundException(`no rebuild of ${name} was started`);
    return status;
  }

  @Get(':name/parked')
  @ApiRoute('The parked events of a projection', ADMIN)
  @ApiProjectionName()
  @ApiOkResponse({ schema: list('ParkedEvent') })
  @ApiAdminProblems(404)
  async parked(@Param('name') name: string) {
    return listParked(this.reads, await this.liveCollection(name));
  }

  /** Carried out by whichever process runs the projection; poll GET …/parked for the outcome. */
  @Post(':name/parked/:key/retry')
  @HttpCode(202)
  @ApiRoute('Retry a parked document', ADMIN, 'Carried out by the process that runs the projection: poll GET …/parked.')
  @ApiProjectionName()
  @ApiResponse({ status: 202, schema: answerRef('Accepted') })
  @ApiAdminProblems(404)
  async retry(@Param('name') name: string, @Param('key') key: string) {
    await this.requestParked(name, key, 'retry');
    return { accepted: true };
  }

  @Post(':name/parked/:key/skip')
  @HttpCode(202)
  @ApiRoute('Skip a parked document', ADMIN, 'Carried out by the process that runs the projection: poll GET …/parked.')
  @ApiProjectionName()
  @ApiResponse({ status: 202, schema: answerRef('Accepted') })
  @ApiAdminProblems(404)
  async skip(@Param('name') name: string, @Param('key') key: string) {
    await this.requestParked(name, key, 'skip');
    return { accepted: true };
  }

  /** 404 `parked-not-found` for a key with no parked events (decision 0031). */
  private async requestParked(name: string, key: string, action: ParkedAction): Promise<void> {
    if (!(await requestParkedActionIfParked(this.reads, await this.liveCollection(name), key, action)))
      throw notFound('parked-not-found', `projection ${name} has no parked events for this key`);
  }

  private manager(name: string): ProjectionManager {
    const manager = this.projections.get(name);
    if (!manager) throw new NotFoundException(`no projection named ${name}`);
    return manager;
  }

  private async liveCollection(name: string): Promise<string> {
    this.manager(name);
    const active = await readActive(this.reads, name);
    if (!active) throw new NotFoundException(`projection ${name} has not run yet`);
    return collectionOf(name, active.generation);
  }
}
