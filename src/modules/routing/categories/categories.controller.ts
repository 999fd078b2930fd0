import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { AdminRoute, Permission } from '../../auth/rbac';
import { CategoriesService } from './categories.service';
import {
  CategoryListResponseDto,
  CategoryResponseDto,
  PresetApplyResponseDto,
  PresetResponseDto,
} from './dto/category-response.dto';
import {
  AddExamplesDto,
  ApplyPresetDto,
  CreateCategoryDto,
  ListCategoriesQueryDto,
  UpdateCategoryDto,
} from './dto/category.dto';

/** Routing categories (DESIGN.md §4): built-ins seeded once and then owned by admins, plus custom ones. */
@ApiTags('categories')
@Controller('api/prism/admin/categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  /** Every category, cheapest tier first, with tier groups; filter by tier, origin, state or text. */
  @Get()
  @AdminRoute(Permission.RoutingRead, { ok: CategoryListResponseDto })
  list(@Query() query: ListCategoriesQueryDto): Promise<CategoryListResponseDto> {
    return this.categories.list(query);
  }

  /** Preset profiles that fill groups of categories with one provider's models. */
  @Get('presets')
  @AdminRoute(Permission.RoutingRead, { ok: [PresetResponseDto] })
  presets(): PresetResponseDto[] {
    return this.categories.presets();
  }

  /** Assigns default and fallback models to the preset's categories from the provider's visible models. */
  @Post('presets/:preset/apply')
  @HttpCode(200)
  @AdminRoute(Permission.RoutingWrite, {
    ok: PresetApplyResponseDto,
    badRequest: 'Unknown provider',
    notFound: 'No such preset',
  })
  applyPreset(
    @Param('preset') preset: string,
    @Body() body: ApplyPresetDto,
  ): Promise<PresetApplyResponseDto> {
    return this.categories.applyPreset(preset, body);
  }

  /**
   * Puts the shipped definition of every built-in category back (and re-creates missing ones).
   * Custom categories, model choices and admin-added examples are kept.
   */
  @Post('restore-built-ins')
  @HttpCode(200)
  @AdminRoute(Permission.RoutingWrite, { ok: CategoryListResponseDto })
  restoreBuiltIns(): Promise<CategoryListResponseDto> {
    return this.categories.restoreBuiltIns();
  }

  @Get(':key')
  @AdminRoute(Permission.RoutingRead, { ok: CategoryResponseDto, notFound: 'No such category' })
  get(@Param('key') key: string): Promise<CategoryResponseDto> {
    return this.categories.get(key);
  }

  /** Creates a custom category. */
  @Post()
  @AdminRoute(Permission.RoutingWrite, {
    created: CategoryResponseDto,
    conflict: 'Key taken (or the key of a built-in)',
  })
  create(@Body() body: CreateCategoryDto): Promise<CategoryResponseDto> {
    return this.categories.create(body);
  }

  /** Changes any field but the key; built-ins are disabled with `enabled: false`. */
  @Patch(':key')
  @AdminRoute(Permission.RoutingWrite, { ok: CategoryResponseDto, notFound: 'No such category' })
  update(@Param('key') key: string, @Body() body: UpdateCategoryDto): Promise<CategoryResponseDto> {
    return this.categories.update(key, body);
  }

  /** Deletes a custom category (built-ins can only be disabled). */
  @Delete(':key')
  @HttpCode(204)
  @AdminRoute(Permission.RoutingWrite, {
    noContent: 'Deleted',
    notFound: 'No such category',
    conflict: 'Built-in category',
  })
  async delete(@Param('key') key: string): Promise<void> {
    await this.categories.delete(key);
  }

  /** Adds training examples; the local classifier retrains off the request path. */
  @Post(':key/examples')
  @HttpCode(200)
  @AdminRoute(Permission.RoutingWrite, { ok: CategoryResponseDto, notFound: 'No such category' })
  addExamples(@Param('key') key: string, @Body() body: AddExamplesDto): Promise<CategoryResponseDto> {
    return this.categories.addExamples(key, body);
  }
}
