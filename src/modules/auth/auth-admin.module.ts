import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';

import { AppConfig } from '../../core/config/app-config';
import { AuditAdminModule } from '../audit/audit-admin.module';
import { AuthModule } from './auth.module';
import { LdapSettingsController } from './ldap/ldap-settings.controller';
import { AuthController } from './session/auth.controller';
import { SetupController } from './setup/setup.controller';
import { AdminThrottlerGuard, throttlerOptions } from './throttling/admin-throttler.guard';
import { UsersController } from './users/users.controller';

/** Auth, setup and user-management routes plus the control-plane rate limits (control role only). */
@Module({
  imports: [
    AuthModule,
    AuditAdminModule,
    ThrottlerModule.forRootAsync({ inject: [AppConfig], useFactory: throttlerOptions }),
  ],
  controllers: [AuthController, SetupController, UsersController, LdapSettingsController],
  providers: [{ provide: APP_GUARD, useClass: AdminThrottlerGuard }],
})
export class AuthAdminModule {}
