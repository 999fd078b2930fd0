import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';

import { type AppConfig } from './core/config/app-config';
import { ConfigModule } from './core/config/config.module';
import { DatabaseModule } from './core/database/database.module';
import { modulesForRole } from './roles';

@Module({})
export class AppModule {
  /** The whole application for one NODE_ROLE: shared infrastructure plus that role's features. */
  static forRole(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        ScheduleModule.forRoot(),
        ...modulesForRole(config.role),
      ],
    };
  }
}
