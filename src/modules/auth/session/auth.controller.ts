import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AppConfig } from '../../../core/config/app-config';
import { ClientIpResolver } from '../../../core/http/client-ip';
import { SkipAudit } from '../../audit/audited.decorator';
import {
  AllowDuringPasswordChange,
  type AuthenticatedUser,
  CurrentUser,
  RequireLogin,
  ROLE_PERMISSIONS,
} from '../rbac';
import { LoginLockedError } from '../throttling/login-protection';
import { type Session, AuthService } from './auth.service';
import {
  ChangePasswordDto,
  LoginDto,
  LoginResponseDto,
  type SessionMode,
  SessionUserDto,
} from './dto/session.dto';
import { clearedSessionCookie, serializeSessionCookie } from './session-cookie';
import { type CredentialKind, toAuthenticatedUser } from './session-user';

export function toSessionUser(user: AuthenticatedUser): SessionUserDto {
  const { sessionExpiresAt, ...rest } = user;
  return {
    ...rest,
    permissions: [...ROLE_PERMISSIONS[user.role]],
    ...(sessionExpiresAt ? { expiresAt: sessionExpiresAt.toISOString() } : {}),
  };
}

@ApiTags('auth')
@Controller('api/prism/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
    private readonly clientIp: ClientIpResolver,
  ) {}

  /**
   * Local users first, then LDAP (when enabled). 20 attempts per minute per IP; repeated failures
   * are answered later and later, then lock the account and the address for a while (429
   * `login_locked`, the same answer whether the account exists or not).
   */
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse({ description: 'Invalid username or password' })
  @ApiForbiddenResponse({ description: 'The account is disabled' })
  @ApiTooManyRequestsResponse({
    description: 'Too many attempts from this IP, or the account or address is locked (login_locked)',
  })
  @ApiServiceUnavailableResponse({
    description: 'LDAP is enabled and the directory cannot be reached (ldap_unavailable)',
  })
  async login(
    @Body() body: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponseDto> {
    let session: Session;
    try {
      session = await this.auth.login(body.username, body.password, this.clientIp.of(request.raw));
    } catch (error) {
      if (error instanceof LoginLockedError)
        void reply.header('retry-after', String(error.retryAfterSeconds));
      throw error;
    }
    return this.respond(session, body.session ?? 'bearer', reply);
  }

  /** The logged-in user and the permissions of their role. */
  @Get('me')
  @RequireLogin()
  @AllowDuringPasswordChange()
  @ApiOkResponse({ type: SessionUserDto })
  me(@CurrentUser() user: AuthenticatedUser): SessionUserDto {
    return toSessionUser(user);
  }

  /** Ends every session of the user (all tokens and cookies stop working) and clears the cookie. */
  @Post('logout')
  @HttpCode(204)
  @RequireLogin()
  @AllowDuringPasswordChange()
  @SkipAudit()
  @ApiNoContentResponse({ description: 'Logged out everywhere' })
  async logout(
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(user.id);
    void reply.header('set-cookie', clearedSessionCookie(this.config.isProduction));
  }

  /**
   * Changes the caller's password (local users). Every existing token is revoked; the response
   * carries a new one (as a cookie again when the caller used the cookie).
   */
  @Post('password')
  @HttpCode(200)
  @RequireLogin()
  @AllowDuringPasswordChange()
  @SkipAudit()
  @ApiOkResponse({ type: LoginResponseDto })
  async changePassword(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ChangePasswordDto,
    @Req() request: { credentialKind?: CredentialKind },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponseDto> {
    const session = await this.auth.changePassword(user.id, body.currentPassword, body.newPassword);
    return this.respond(session, request.credentialKind === 'cookie' ? 'cookie' : 'bearer', reply);
  }

  private respond(session: Session, mode: SessionMode, reply: FastifyReply): LoginResponseDto {
    const user = toSessionUser(toAuthenticatedUser(session.user));
    const expiresAt = session.expiresAt.toISOString();
    if (mode === 'cookie') {
      const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
      void reply.header(
        'set-cookie',
        serializeSessionCookie(session.token, maxAge, this.config.isProduction),
      );
      return { session: 'cookie', expiresAt, user };
    }
    return { accessToken: session.token, session: 'bearer', expiresAt, user };
  }
}
