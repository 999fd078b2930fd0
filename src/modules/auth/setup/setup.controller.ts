import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';

import { AdminRoute, Permission } from '../rbac';
import { UserResponseDto } from '../users/dto/users.dto';
import { toUserResponse } from '../users/user.mapper';
import { CreateFirstAdminDto, SetupStatusDto } from './dto/setup.dto';
import { SetupService } from './setup.service';

@ApiTags('setup')
@Controller('api/prism/setup')
export class SetupController {
  constructor(private readonly setup: SetupService) {}

  /** Public: whether the first-run wizard is needed. Reveals no configuration. */
  @Get('status')
  @ApiOkResponse({ type: SetupStatusDto })
  status(): Promise<SetupStatusDto> {
    return this.setup.status();
  }

  /** Public, but only until an admin exists; afterwards always 409. Then log in with auth/login. */
  @Post('admin')
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid username or weak password' })
  @ApiConflictResponse({ description: 'An admin already exists (setup is closed)' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this IP' })
  async createAdmin(@Body() body: CreateFirstAdminDto): Promise<UserResponseDto> {
    return toUserResponse(await this.setup.createFirstAdmin(body.username, body.password));
  }

  /** Marks the first-run wizard as finished. */
  @Post('complete')
  @HttpCode(200)
  @AdminRoute(Permission.SettingsWrite, { ok: SetupStatusDto })
  complete(): Promise<SetupStatusDto> {
    return this.setup.complete();
  }
}
