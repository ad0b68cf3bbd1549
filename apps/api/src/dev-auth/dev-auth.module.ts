import { Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { DevTokenController } from './dev-token.controller';

/** The development sign-in, signing with the embedded default's HS256 secret. */
@Module({})
export class DevAuthModule {
  static register(secret: string): DynamicModule {
    return {
      module: DevAuthModule,
      imports: [JwtModule.register({ secret, signOptions: { algorithm: 'HS256' } })],
      controllers: [DevTokenController],
    };
  }
}
