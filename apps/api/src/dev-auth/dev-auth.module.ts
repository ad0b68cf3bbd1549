import { Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import type { Settings } from '@wih/runtime';
import { SETTINGS } from '../app/tokens';
import { DevTokenController } from './dev-token.controller';

/** The development sign-in, signing with the embedded default's HS256 secret. */
@Module({})
export class DevAuthModule {
  static register(secret: string, settings: Settings): DynamicModule {
    return {
      module: DevAuthModule,
      imports: [JwtModule.register({ secret, signOptions: { algorithm: 'HS256' } })],
      controllers: [DevTokenController],
      // The controller checks again on every request; the settings are AppModule's, not exported to modules.
      providers: [{ provide: SETTINGS, useValue: settings }],
    };
  }
}
