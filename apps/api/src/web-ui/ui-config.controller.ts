import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { answerRef } from '../http/openapi/answers';
import { ApiRoute } from '../http/openapi/problems';
import type { Request } from 'express';
import { Public } from '../auth/roles';
import { isLoopback } from '../dev-auth/dev-sign-in';
import { UI_CONFIG, type UiConfig } from './ui-config';

/** `GET /api/ui-config`: public, read by the web UI before sign-in. */
@ApiTags('web UI')
@Controller('api/ui-config')
export class UiConfigController {
  constructor(@Inject(UI_CONFIG) private readonly config: UiConfig) {}

  @Get()
  @Public()
  @ApiRoute('How the web UI signs in', 'public', 'Read before sign-in.')
  @ApiOkResponse({ schema: answerRef('UiConfig') })
  get(@Req() req: Request): UiConfig {
    // The development sign-in answers only on this machine: elsewhere the page offers the token field.
    if (this.config.auth === 'dev' && !isLoopback(req.socket.remoteAddress)) return { ...this.config, auth: 'token' };
    return this.config;
  }
}
