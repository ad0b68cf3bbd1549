import { Body, Controller, HttpCode, Inject, NotFoundException, Post, Req } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiExcludeController } from '@nestjs/swagger';
import { forbidden } from '@wih/domain';
import type { Settings } from '@wih/runtime';
import type { Request } from 'express';
import { conflictingRoles, Public } from '../auth/roles';
import { ValidationProblem } from '../http/problem';
import { SETTINGS } from '../app/tokens';
import { devSignInEnabled, isLoopback } from './dev-sign-in';
import { DevTokenDto } from './dev-token.dto';

export const DEV_TOKEN_LIFETIME_SECONDS = 8 * 60 * 60;

/**
 * `POST /api/dev/token`: the development sign-in of the web UI (registered only when
 * devSignInEnabled). Not part of the API contract, so not in the OpenAPI document.
 */
@ApiExcludeController()
@Controller('api/dev')
export class DevTokenController {
  constructor(
    private readonly jwt: JwtService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Post('token')
  @Public()
  @HttpCode(200)
  token(@Body() body: DevTokenDto, @Req() req: Request) {
    // Second line of defence: the module is not even registered in production.
    if (!devSignInEnabled(this.settings)) throw new NotFoundException('no such route');
    // Only for someone on this machine, even when HOST opens the port to the network.
    if (!isLoopback(req.socket.remoteAddress)) {
      throw forbidden('dev-sign-in-local-only', 'the development sign-in answers only requests from this machine (loopback)');
    }
    // The guard would refuse such a token anyway (separation of duties): say so here, at the field.
    if (conflictingRoles(body.roles))
      throw new ValidationProblem([{ field: 'roles', message: 'admin cannot be combined with caseworker or fachstelle' }]);
    const token = this.jwt.sign(
      { sub: body.userId, name: body.name ?? body.userId, roles: body.roles },
      { algorithm: 'HS256', expiresIn: DEV_TOKEN_LIFETIME_SECONDS },
    );
    return { token, expiresIn: DEV_TOKEN_LIFETIME_SECONDS };
  }
}
