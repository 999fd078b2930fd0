import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { AdminRoute, Permission } from '../auth/rbac';
import { ModelListResponseDto, ModelResponseDto, ModelVisibilityResponseDto } from './dto/model-response.dto';
import {
  CreateModelDto,
  ListModelsQueryDto,
  ResetModelFieldsDto,
  SetModelVisibilityDto,
  UpdateModelDto,
} from './dto/model.dto';
import { ModelsService } from './models.service';

/** The model registry: per provider model pricing, window, tier, capabilities, visibility. */
@ApiTags('models')
@Controller('api/prism/admin/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @AdminRoute(Permission.ModelsRead, {
    ok: ModelListResponseDto,
    notFound: 'No such provider (the provider filter)',
  })
  list(@Query() query: ListModelsQueryDto): Promise<ModelListResponseDto> {
    return this.models.list(query);
  }

  /** Shows or hides many models at once (hidden models are never routed to). */
  @Post('visibility')
  @HttpCode(200)
  @AdminRoute(Permission.ModelsWrite, { ok: ModelVisibilityResponseDto })
  setVisibility(@Body() body: SetModelVisibilityDto): Promise<ModelVisibilityResponseDto> {
    return this.models.setVisibility(body);
  }

  @Get(':id')
  @AdminRoute(Permission.ModelsRead, { ok: ModelResponseDto, notFound: 'No such model' })
  get(@Param('id') id: string): Promise<ModelResponseDto> {
    return this.models.get(id);
  }

  @Post()
  @AdminRoute(Permission.ModelsWrite, {
    created: ModelResponseDto,
    conflict: 'The provider already has this model',
  })
  create(@Body() body: CreateModelDto): Promise<ModelResponseDto> {
    return this.models.create(body);
  }

  /** Every field sent is pinned: re-discovery will not overwrite it. */
  @Patch(':id')
  @AdminRoute(Permission.ModelsWrite, { ok: ModelResponseDto, notFound: 'No such model' })
  update(@Param('id') id: string, @Body() body: UpdateModelDto): Promise<ModelResponseDto> {
    return this.models.update(id, body);
  }

  /** Un-pins fields so the next discovery refreshes them. */
  @Post(':id/reset')
  @HttpCode(200)
  @AdminRoute(Permission.ModelsWrite, { ok: ModelResponseDto, notFound: 'No such model' })
  reset(@Param('id') id: string, @Body() body: ResetModelFieldsDto): Promise<ModelResponseDto> {
    return this.models.resetFields(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @AdminRoute(Permission.ModelsWrite, { noContent: 'Deleted', notFound: 'No such model' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.models.delete(id);
  }
}
