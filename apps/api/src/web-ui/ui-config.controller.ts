import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles';
import { UI_CONFIG, type UiConfig } from './ui-config';

/** `GET /api/ui-config`: public, read by the web UI before sign-in. */
@ApiTags('web UI')
@Controller('api/ui-config')
export class UiConfigController {
  constructor(@Inject(UI_CONFIG) private readonly config: UiConfig) {}

  @Get()
  @Public()
  get(): UiConfig {
    return this.config;
  }
}
