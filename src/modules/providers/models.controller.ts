import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';

import { Permission, RequirePermission } from '../auth/rbac';
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
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ type: ModelListResponseDto })
  @ApiNotFoundResponse({ description: 'No such provider (the provider filter)' })
  list(@Query() query: ListModelsQueryDto): Promise<ModelListResponseDto> {
    return this.models.list(query);
  }

  /** Shows or hides many models at once (hidden models are never routed to). */
  @Post('visibility')
  @HttpCode(200)
  @RequirePermission(Permission.ModelsWrite)
  @ApiOkResponse({ type: ModelVisibilityResponseDto })
  setVisibility(@Body() body: SetModelVisibilityDto): Promise<ModelVisibilityResponseDto> {
    return this.models.setVisibility(body);
  }

  @Get(':id')
  @RequirePermission(Permission.ModelsRead)
  @ApiOkResponse({ type: ModelResponseDto })
  @ApiNotFoundResponse({ description: 'No such model' })
  get(@Param('id') id: string): Promise<ModelResponseDto> {
    return this.models.get(id);
  }

  @Post()
  @RequirePermission(Permission.ModelsWrite)
  @ApiCreatedResponse({ type: ModelResponseDto })
  @ApiConflictResponse({ description: 'The provider already has this model' })
  create(@Body() body: CreateModelDto): Promise<ModelResponseDto> {
    return this.models.create(body);
  }

  /** Every field sent is pinned: re-discovery will not overwrite it. */
  @Patch(':id')
  @RequirePermission(Permission.ModelsWrite)
  @ApiOkResponse({ type: ModelResponseDto })
  @ApiNotFoundResponse({ description: 'No such model' })
  update(@Param('id') id: string, @Body() body: UpdateModelDto): Promise<ModelResponseDto> {
    return this.models.update(id, body);
  }

  /** Un-pins fields so the next discovery refreshes them. */
  @Post(':id/reset')
  @HttpCode(200)
  @RequirePermission(Permission.ModelsWrite)
  @ApiOkResponse({ type: ModelResponseDto })
  @ApiNotFoundResponse({ description: 'No such model' })
  reset(@Param('id') id: string, @Body() body: ResetModelFieldsDto): Promise<ModelResponseDto> {
    return this.models.resetFields(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.ModelsWrite)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such model' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.models.delete(id);
  }
}
