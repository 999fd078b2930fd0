import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';

import { pageWindow } from '../../../common/dto/page-query.dto';
import { type AuthenticatedUser, CurrentUser, Permission, RequirePermission } from '../rbac';
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
  @RequirePermission(Permission.UsersRead)
  @ApiOkResponse({ type: UserPageDto })
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
  @RequirePermission(Permission.UsersRead)
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse({ description: 'No such user' })
  async get(@Param('id') id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.get(id));
  }

  /** Creates a local user (LDAP users are created at their first login). */
  @Post()
  @RequirePermission(Permission.UsersWrite)
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiConflictResponse({ description: 'Username taken' })
  async create(@Body() body: CreateUserDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.createLocal(body));
  }

  /** Role, tenants, enabled flag, role pin. You cannot demote or disable yourself or the last admin. */
  @Patch(':id')
  @RequirePermission(Permission.UsersWrite)
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'Would leave no active admin' })
  async update(
    @CurrentUser() actor: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(actor, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.UsersWrite)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'Would leave no active admin' })
  async delete(@CurrentUser() actor: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    await this.users.delete(actor, id);
  }

  /** Sets a new password for a local user and ends their sessions. */
  @Post(':id/reset-password')
  @HttpCode(200)
  @RequirePermission(Permission.UsersWrite)
  @ApiOkResponse({ type: UserResponseDto })
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
  @RequirePermission(Permission.UsersWrite)
  @ApiOkResponse({ type: UserResponseDto })
  async enable(@CurrentUser() actor: AuthenticatedUser, @Param('id') id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.setActive(actor, id, true));
  }

  /**
   * Lifts a login lock of the account (too many failed logins) and clears its failure count.
   * Locks of client addresses run out by themselves (LOGIN_LOCK_MINUTES).
   */
  @Post(':id/unlock')
  @HttpCode(200)
  @RequirePermission(Permission.UsersWrite)
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse({ description: 'No such user' })
  async unlock(@Param('id') id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.unlock(id));
  }

  /** Disables the account; its tokens stop working immediately. */
  @Post(':id/disable')
  @HttpCode(200)
  @RequirePermission(Permission.UsersWrite)
  @ApiOkResponse({ type: UserResponseDto })
  @ApiConflictResponse({ description: 'Would leave no active admin' })
  async disable(@CurrentUser() actor: AuthenticatedUser, @Param('id') id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.setActive(actor, id, false));
  }
}
