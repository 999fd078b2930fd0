import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Audited } from '../../audit/audited.decorator';
import { AdminRoute, Permission } from '../../auth/rbac';
import {
  RoutingGenerateResponseDto,
  RoutingRunResponseDto,
  RoutingSuiteResponseDto,
} from './dto/routing-suite-response.dto';
import {
  CreateRoutingSuiteDto,
  EvaluateRoutingRunDto,
  GenerateRoutingCasesDto,
  RunRoutingSuiteDto,
  UpdateRoutingSuiteDto,
} from './dto/routing-suite.dto';
import { RoutingSuitesService } from './routing-suites.service';

/** Synthetic routing tests (DESIGN.md §4). */
@ApiTags('routing')
@Controller('api/prism/admin/routing/suites')
export class RoutingSuitesController {
  constructor(private readonly suites: RoutingSuitesService) {}

  @Get()
  @AdminRoute(Permission.RoutingRead, { ok: [RoutingSuiteResponseDto] })
  list(): Promise<RoutingSuiteResponseDto[]> {
    return this.suites.list();
  }

  @Get('runs/:runId')
  @AdminRoute(Permission.RoutingRead, { ok: RoutingRunResponseDto, notFound: 'No such run' })
  getRun(@Param('runId') runId: string): Promise<RoutingRunResponseDto> {
    return this.suites.getRun(runId);
  }

  /** Asks a model to judge the run (score, quality and cost suggestions) and stores the answer. */
  @Post('runs/:runId/evaluate')
  @HttpCode(200)
  @Audited('routing_suites.evaluate', { targetType: 'routing_suite_runs', idParam: 'runId' })
  @AdminRoute(Permission.RoutingWrite, { ok: RoutingRunResponseDto, notFound: 'No such run' })
  evaluate(
    @Param('runId') runId: string,
    @Body() body: EvaluateRoutingRunDto,
  ): Promise<RoutingRunResponseDto> {
    return this.suites.evaluate(runId, body);
  }

  @Get(':id')
  @AdminRoute(Permission.RoutingRead, { ok: RoutingSuiteResponseDto, notFound: 'No such suite' })
  get(@Param('id') id: string): Promise<RoutingSuiteResponseDto> {
    return this.suites.get(id);
  }

  @Post()
  @Audited('routing_suites.create', { targetType: 'routing_suites' })
  @AdminRoute(Permission.RoutingWrite, { created: RoutingSuiteResponseDto, notFound: 'No such tenant' })
  create(@Body() body: CreateRoutingSuiteDto): Promise<RoutingSuiteResponseDto> {
    return this.suites.create(body);
  }

  @Patch(':id')
  @Audited('routing_suites.update', { targetType: 'routing_suites' })
  @AdminRoute(Permission.RoutingWrite, { ok: RoutingSuiteResponseDto, notFound: 'No such suite' })
  update(@Param('id') id: string, @Body() body: UpdateRoutingSuiteDto): Promise<RoutingSuiteResponseDto> {
    return this.suites.update(id, body);
  }

  /** Also deletes its runs. */
  @Delete(':id')
  @HttpCode(204)
  @Audited('routing_suites.delete', { targetType: 'routing_suites' })
  @AdminRoute(Permission.RoutingWrite, { noContent: 'Deleted', notFound: 'No such suite' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.suites.delete(id);
  }

  /** Generates cases with a model through a provider and appends the usable ones. */
  @Post(':id/generate')
  @HttpCode(200)
  @Audited('routing_suites.generate', { targetType: 'routing_suites' })
  @AdminRoute(Permission.RoutingWrite, { ok: RoutingGenerateResponseDto, notFound: 'No such suite' })
  generate(
    @Param('id') id: string,
    @Body() body: GenerateRoutingCasesDto,
  ): Promise<RoutingGenerateResponseDto> {
    return this.suites.generate(id, body);
  }

  /** Runs every case through the production engine and stores the run. */
  @Post(':id/run')
  @HttpCode(200)
  @Audited('routing_suites.run', { targetType: 'routing_suites' })
  @AdminRoute(Permission.RoutingWrite, { ok: RoutingRunResponseDto, notFound: 'No such suite' })
  run(@Param('id') id: string, @Body() body: RunRoutingSuiteDto): Promise<RoutingRunResponseDto> {
    return this.suites.run(id, body);
  }

  /** The latest runs (summaries only). */
  @Get(':id/runs')
  @AdminRoute(Permission.RoutingRead, { ok: [RoutingRunResponseDto], notFound: 'No such suite' })
  runs(@Param('id') id: string): Promise<RoutingRunResponseDto[]> {
    return this.suites.runs(id);
  }
}
