import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';

import { pageWindow } from '../../../common/dto/page-query.dto';
import { AdminRoute, type AuthenticatedUser, CurrentUser, Permission } from '../rbac';
import {
  CreateUserDto,
  ListUsersQueryDto,
  ResetPasswordDto,
  UpdateUserDto,
  UserPageDto,
  UserResponseDto,
} from './dto/users.dto';
import { toUserResponse } from './user.mapper';
import { UsersService } from './users.service';

/** Console and API users. Reading needs users.read; every change is admin-only (users.write). */
@ApiTags('users')
@Controller('api/prism/admin/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** One page of users sorted by username, filtered by username, role, source and state. */
  @Get()
  @AdminRoute(Permission.UsersRead, { ok: UserPageDto })
  async list(@Query() query: ListUsersQueryDto): Promise<UserPageDto> {
    const { page, pageSize, skip, limit } = pageWindow(query);
    const { items, total } = await this.users.list({
      search: query.search,
      role: query.role,
      source: query.source,
      active: query.active,
      skip,
      limit,
    });
    return { items: items.map(toUserResponse), total, page, pageSize };
  }

  @Get(':id')
  @AdminRoute(Permission.UsersRead, { ok: UserResponseDto, notFound: 'No such user' })
  async get(@Param('id') id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.get(id));
  }

  /** Creates a local user (LDAP users are created at their first login). */
  @Post()
  @AdminRoute(Permission.UsersWrite, { created: UserResponseDto, conflict: 'Username taken' })
  async create(@Body() body: CreateUserDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.createLocal(body));
  }

  /** Role, tenants, enabled flag, role pin. You cannot demote or disable yourself or the last admin. */
  @Patch(':id')
  @AdminRoute(Permission.UsersWrite, {
    ok: UserResponseDto,
    notFound: 'No such user',
    conflict: 'Would leave no active admin',
  })
  async update(
    @CurrentUser() actor: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(actor, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @AdminRoute(Permission.UsersWrite, {
    noContent: 'Deleted',
    notFound: 'No such user',
    conflict: 'Would leave no active admin',
  })
  async delete(@CurrentUser() actor: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    await this.users.delete(actor, id);
  }

  /** Sets a new password for a local user and ends their sessions. */
  @Post(':id/reset-password')
  @HttpCode(200)
  @AdminRoute(Permission.UsersWrite, { ok: UserResponseDto })
  @ApiForbiddenResponse({ description: 'Requires users.write; or your own account (use auth/password)' })
  async resetPassword(
    @CurrentUser() actor: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(
      await this.users.resetPassword(actor, id, body.password, body.mustChangePassword ?? true),
    );
  }

  @Post(':id/enable')
  @HttpCode(200)
  @AdminRoute(Permission.UsersWrite, { ok: UserResponseDto })
  async enable(@CurrentUser() actor: AuthenticatedUser, @Param('id') id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.setActive(actor, id, true));
  }

  /**
   * Lifts a login lock of the account (too many failed logins) and clears its failure count.
   * Locks of client addresses run out by themselves (LOGIN_LOCK_MINUTES).
   */
  @Post(':id/unlock')
  @HttpCode(200)
  @AdminRoute(Permission.UsersWrite, { ok: UserResponseDto, notFound: 'No such user' })
  async unlock(@Param('id') id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.unlock(id));
  }

  /** Disables the account; its tokens stop working immediately. */
  @Post(':id/disable')
  @HttpCode(200)
  @AdminRoute(Permission.UsersWrite, { ok: UserResponseDto, conflict: 'Would leave no active admin' })
  async disable(@CurrentUser() actor: AuthenticatedUser, @Param('id') id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.setActive(actor, id, false));
  }
}
