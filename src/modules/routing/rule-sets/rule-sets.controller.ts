import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';

import { AdminRoute, Permission } from '../../auth/rbac';
import { RuleSetListResponseDto, RuleSetResponseDto } from './dto/rule-set-response.dto';
import { RuleSetDto } from './dto/rule-set.dto';
import { RuleSetsService } from './rule-sets.service';

/** Routing rule sets: one global default plus optional per-tenant overrides. `:tenant` is an id or slug. */
@ApiTags('routing')
@Controller('api/prism/admin/routing/rule-sets')
export class RuleSetsController {
  constructor(private readonly ruleSets: RuleSetsService) {}

  @Get()
  @AdminRoute(Permission.RoutingRead, { ok: RuleSetListResponseDto })
  list(): Promise<RuleSetListResponseDto> {
    return this.ruleSets.list();
  }

  @Get('default')
  @AdminRoute(Permission.RoutingRead, { ok: RuleSetResponseDto })
  getDefault(): Promise<RuleSetResponseDto> {
    return this.ruleSets.getDefault();
  }

  /** Replaces the global default rule set (used by every tenant without its own). */
  @Put('default')
  @AdminRoute(Permission.RoutingWrite, {
    ok: RuleSetResponseDto,
    badRequest: 'Invalid rule set; `details` lists each field',
  })
  putDefault(@Body() body: RuleSetDto): Promise<RuleSetResponseDto> {
    return this.ruleSets.putDefault(body);
  }

  /** The tenant's own rule set, or the default it inherits (`scope: default`). */
  @Get('tenants/:tenant')
  @AdminRoute(Permission.RoutingRead, { ok: RuleSetResponseDto, notFound: 'No such tenant' })
  @ApiParam({ name: 'tenant', description: 'Tenant id or slug' })
  getForTenant(@Param('tenant') tenant: string): Promise<RuleSetResponseDto> {
    return this.ruleSets.getForTenant(tenant);
  }

  /** Creates or replaces the tenant's own rule set. */
  @Put('tenants/:tenant')
  @AdminRoute(Permission.RoutingWrite, {
    ok: RuleSetResponseDto,
    badRequest: 'Invalid rule set; `details` lists each field',
    notFound: 'No such tenant',
  })
  @ApiParam({ name: 'tenant', description: 'Tenant id or slug' })
  putForTenant(@Param('tenant') tenant: string, @Body() body: RuleSetDto): Promise<RuleSetResponseDto> {
    return this.ruleSets.putForTenant(tenant, body);
  }

  /** Removes the tenant's override; it uses the default again. */
  @Delete('tenants/:tenant')
  @HttpCode(204)
  @AdminRoute(Permission.RoutingWrite, { noContent: 'Deleted', notFound: 'No such tenant or no override' })
  @ApiParam({ name: 'tenant', description: 'Tenant id or slug' })
  async deleteForTenant(@Param('tenant') tenant: string): Promise<void> {
    await this.ruleSets.deleteForTenant(tenant);
  }
}
