import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';

import { CryptoModule } from '../../common/crypto/crypto.module';
import { AppConfig } from '../../core/config/app-config';
import { AuditModule } from '../audit/audit.module';
import { LdapLoginService } from './ldap/ldap-login.service';
import { LdapSettingsRepository } from './ldap/ldap-settings.repository';
import { LdapSettingsService } from './ldap/ldap-settings.service';
import { PermissionGuard, SessionCheck } from './rbac/permission.guard';
import { AuthService } from './session/auth.service';
import { JwtSessionStrategy } from './session/jwt-session.strategy';
import { parseExpiresIn, TokenService } from './session/token.service';
import { SetupStateRepository } from './setup/setup-state.repository';
import { SetupService } from './setup/setup.service';
import { LoginAttempt, LoginAttemptSchema } from './throttling/login-attempt.schema';
import { LoginAttemptsRepository } from './throttling/login-attempts.repository';
import { LoginProtection } from './throttling/login-protection';
import { PasswordHasher } from './users/password-hasher';
import { UserCache } from './users/user-cache';
import { User, UserSchema } from './users/user.schema';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/**
 * Users, tokens, LDAP and setup: the auth core of the control plane. Global so that every admin
 * module's `@RequirePermission` guard (Passport session strategy) works without importing it.
 */
@Global()
@Module({
  imports: [
    AuditModule,
    CryptoModule,
    MongooseModule.forFeature([
      { name: User.name, schema: UserSchema },
      { name: LoginAttempt.name, schema: LoginAttemptSchema },
    ]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: parseExpiresIn(config.jwtExpiresIn) },
      }),
    }),
  ],
  providers: [
    UsersRepository,
    UserCache,
    PasswordHasher,
    UsersService,
    TokenService,
    JwtSessionStrategy,
    { provide: SessionCheck, useExisting: JwtSessionStrategy },
    PermissionGuard,
    AuthService,
    LoginAttemptsRepository,
    LoginProtection,
    LdapSettingsRepository,
    LdapSettingsService,
    LdapLoginService,
    SetupStateRepository,
    SetupService,
  ],
  exports: [
    SessionCheck,
    PermissionGuard,
    UsersService,
    UsersRepository,
    AuthService,
    LoginProtection,
    TokenService,
    LdapSettingsRepository,
    LdapSettingsService,
    LdapLoginService,
    SetupStateRepository,
    SetupService,
  ],
})
export class AuthModule {}
