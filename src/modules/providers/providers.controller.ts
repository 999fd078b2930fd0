import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { SkipAudit } from '../audit/audited.decorator';
import { AdminRoute, Permission } from '../auth/rbac';
import {
  ProviderCheckResponseDto,
  ProviderDiscoverResponseDto,
  ProviderResponseDto,
  ProviderTryResponseDto,
} from './dto/provider-response.dto';
import { CreateProviderDto, TryProviderDto, UpdateProviderDto } from './dto/provider.dto';
import { ProvidersService } from './providers.service';

/** `:id` accepts the provider's id or its slug. Secrets are never returned. */
@ApiTags('providers')
@Controller('api/prism/admin/providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Get()
  @AdminRoute(Permission.ProvidersRead, { ok: [ProviderResponseDto] })
  list(): Promise<ProviderResponseDto[]> {
    return this.providers.list();
  }

  @Get(':id')
  @AdminRoute(Permission.ProvidersRead, { ok: ProviderResponseDto, notFound: 'No such provider' })
  get(@Param('id') id: string): Promise<ProviderResponseDto> {
    return this.providers.get(id);
  }

  @Post()
  @AdminRoute(Permission.ProvidersWrite, { created: ProviderResponseDto, conflict: 'Slug taken' })
  create(@Body() body: CreateProviderDto): Promise<ProviderResponseDto> {
    return this.providers.create(body);
  }

  @Patch(':id')
  @AdminRoute(Permission.ProvidersWrite, { ok: ProviderResponseDto, notFound: 'No such provider' })
  update(@Param('id') id: string, @Body() body: UpdateProviderDto): Promise<ProviderResponseDto> {
    return this.providers.update(id, body);
  }

  /** Also deletes its models and removes it from every tenant. */
  @Delete(':id')
  @HttpCode(204)
  @AdminRoute(Permission.ProvidersWrite, { noContent: 'Deleted', notFound: 'No such provider' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.providers.delete(id);
  }

  /** Probes the provider and returns a step log with causes and suggestions; stores the status. */
  @Post(':id/check')
  @HttpCode(200)
  @SkipAudit()
  @AdminRoute(Permission.ProvidersWrite, { ok: ProviderCheckResponseDto })
  check(@Param('id') id: string): Promise<ProviderCheckResponseDto> {
    return this.providers.check(id);
  }

  /** Lists the provider's models and merges them into the registry without overwriting admin edits. */
  @Post(':id/discover')
  @HttpCode(200)
  @AdminRoute(Permission.ProvidersWrite, { ok: ProviderDiscoverResponseDto })
  discover(@Param('id') id: string): Promise<ProviderDiscoverResponseDto> {
    return this.providers.discover(id);
  }

  /** Sends one chat request through the provider (not billed to any tenant). */
  @Post(':id/try')
  @HttpCode(200)
  @SkipAudit()
  @AdminRoute(Permission.ProvidersWrite, { ok: ProviderTryResponseDto })
  try(@Param('id') id: string, @Body() body: TryProviderDto): Promise<ProviderTryResponseDto> {
    return this.providers.tryChat(id, body);
  }
}
