import { Body, Controller, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/roles';
import { DevTokenDto } from './dev-token.dto';

export const DEV_TOKEN_LIFETIME_SECONDS = 8 * 60 * 60;

/**
 * `POST /api/dev/token`: the development sign-in of the web UI (registered only when
 * devSignInEnabled). Not part of the API contract, so not in the OpenAPI document.
 */
@ApiExcludeController()
@Controller('api/dev')
export class DevTokenController {
  constructor(private readonly jwt: JwtService) {}

  @Post('token')
  @Public()
  @HttpCode(200)
  token(@Body() body: DevTokenDto) {
    // Second line of defence: the module is not even registered in production.
    if (process.env.NODE_ENV === 'production') throw new NotFoundException('no such route');
    const token = this.jwt.sign(
      { sub: body.userId, name: body.name ?? body.userId, roles: body.roles },
      { algorithm: 'HS256', expiresIn: DEV_TOKEN_LIFETIME_SECONDS },
    );
    return { token, expiresIn: DEV_TOKEN_LIFETIME_SECONDS };
  }
}
