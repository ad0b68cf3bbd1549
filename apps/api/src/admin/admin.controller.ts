import { Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { collectionOf, listParked, readActive, requestParkedAction, type ProjectionManager } from '@wih/application';
import type { ReadStore } from '@wih/read-store';
import type { Response } from 'express';
import { Roles } from '../auth/roles';
import { ProjectionsService } from '../projections/projections.service';
import { InjectReadStore } from '../store/read-store.provider';

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
  async list() {
    return this.projections.statuses();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string, @Res({ passthrough: true }) res: Response) {
    // Recorded in the read store; the process that holds the projection runs it (maybe another one).
    const { status: rebuild } = await this.manager(name).startRebuild();
    res.location(`/api/admin/projections/${name}/rebuild`);
    return rebuild;
  }

  @Get(':name/rebuild')
  async rebuildStatus(@Param('name') name: string) {
    const status = await this.manager(name).rebuildStatus();
    if (!status) throw new NotFoundException(`no rebuild of ${name} was started`);
    return status;
  }

  @Delete(':name/rebuild')
  async cancel(@Param('name') name: string) {
    const status = await this.manager(name).cancelRebuild();
    if (!status) throw new NotFoundException(`no rebuild of ${name} was started`);
    return status;
  }

  @Get(':name/parked')
  async parked(@Param('name') name: string) {
    return listParked(this.reads, await this.liveCollection(name));
  }

  /** Carried out by whichever process runs the projection; poll GET …/parked for the outcome. */
  @Post(':name/parked/:key/retry')
  @HttpCode(202)
  async retry(@Param('name') name: string, @Param('key') key: string) {
    await requestParkedAction(this.reads, await this.liveCollection(name), key, 'retry');
    return { accepted: true };
  }

  @Post(':name/parked/:key/skip')
  @HttpCode(202)
  async skip(@Param('name') name: string, @Param('key') key: string) {
    await requestParkedAction(this.reads, await this.liveCollection(name), key, 'skip');
    return { accepted: true };
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
