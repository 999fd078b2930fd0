import { type DynamicModule, Global, Module } from '@nestjs/common';

import { ClientIpResolver } from '../http/client-ip';
import { AppConfig } from './app-config';

/** Makes the validated AppConfig (and the client-IP resolver built from it) injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: ClientIpResolver, useValue: new ClientIpResolver(config.trustProxy) },
      ],
      exports: [AppConfig, ClientIpResolver],
    };
  }
}
