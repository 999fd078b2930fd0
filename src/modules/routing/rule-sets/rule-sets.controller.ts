import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { Permission, RequirePermission } from '../../auth/rbac';
import { RuleSetListResponseDto, RuleSetResponseDto } from './dto/rule-set-response.dto';
import { RuleSetDto } from './dto/rule-set.dto';
import { RuleSetsService } from './rule-sets.service';

/** Routing rule sets: one global default plus optional per-tenant overrides. `:tenant` is an id or slug. */
@ApiTags('routing')
@Controller('api/prism/admin/routing/rule-sets')
export class RuleSetsController {
  constructor(private readonly ruleSets: RuleSetsService) {}

  @Get()
  @RequirePermission(Permission.RoutingRead)
  @ApiOkResponse({ type: RuleSetListResponseDto })
  list(): Promise<RuleSetListResponseDto> {
    return this.ruleSets.list();
  }

  @Get('default')
  @RequirePermission(Permission.RoutingRead)
  @ApiOkResponse({ type: RuleSetResponseDto })
  getDefault(): Promise<RuleSetResponseDto> {
    return this.ruleSets.getDefault();
  }

  /** Replaces the global default rule set (used by every tenant without its own). */
  @Put('default')
  @RequirePermission(Permission.RoutingWrite)
  @ApiOkResponse({ type: RuleSetResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid rule set; `details` lists each field' })
  putDefault(@Body() body: RuleSetDto): Promise<RuleSetResponseDto> {
    return this.ruleSets.putDefault(body);
  }

  /** The tenant's own rule set, or the default it inherits (`scope: default`). */
  @Get('tenants/:tenant')
  @RequirePermission(Permission.RoutingRead)
  @ApiParam({ name: 'tenant', description: 'Tenant id or slug' })
  @ApiOkResponse({ type: RuleSetResponseDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  getForTenant(@Param('tenant') tenant: string): Promise<RuleSetResponseDto> {
    return this.ruleSets.getForTenant(tenant);
  }

  /** Creates or replaces the tenant's own rule set. */
  @Put('tenants/:tenant')
  @RequirePermission(Permission.RoutingWrite)
  @ApiParam({ name: 'tenant', description: 'Tenant id or slug' })
  @ApiOkResponse({ type: RuleSetResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid rule set; `details` lists each field' })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  putForTenant(@Param('tenant') tenant: string, @Body() body: RuleSetDto): Promise<RuleSetResponseDto> {
    return this.ruleSets.putForTenant(tenant, body);
  }

  /** Removes the tenant's override; it uses the default again. */
  @Delete('tenants/:tenant')
  @HttpCode(204)
  @RequirePermission(Permission.RoutingWrite)
  @ApiParam({ name: 'tenant', description: 'Tenant id or slug' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such tenant or no override' })
  async deleteForTenant(@Param('tenant') tenant: string): Promise<void> {
    await this.ruleSets.deleteForTenant(tenant);
  }
}
