import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';

import { pageWindow } from '../../common/dto/page-query.dto';
import { AdminRoute, Permission } from '../auth/rbac';
import type { AuditEventRecord } from './audit-event.schema';
import { AuditRepository } from './audit.repository';
import { AuditChangeDto, type AuditEventResponseDto, AuditPageDto, ListAuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@ApiExtraModels(AuditChangeDto)
@Controller('api/prism/admin/audit')
export class AuditController {
  constructor(private readonly repository: AuditRepository) {}

  /** Admin mutations and security events, newest first. */
  @Get()
  @AdminRoute(Permission.AuditRead, { ok: AuditPageDto })
  async list(@Query() query: ListAuditQueryDto): Promise<AuditPageDto> {
    if (query.from && query.to && query.from > query.to) {
      throw new BadRequestException({
        message: 'Validation failed: from must not be after to',
        details: [{ field: 'from', messages: ['from must not be after to'] }],
      });
    }
    const { page, pageSize, skip, limit } = pageWindow(query);
    const { items, total } = await this.repository.find({
      actor: query.actor,
      action: query.action,
      targetType: query.targetType,
      targetId: query.targetId,
      outcome: query.outcome,
      from: query.from,
      to: query.to,
      skip,
      limit,
    });
    return { items: items.map(toResponse), total, page, pageSize };
  }
}

function toResponse(event: AuditEventRecord): AuditEventResponseDto {
  return {
    id: event._id.toString(),
    at: event.at.toISOString(),
    actor: event.actor,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    targetLabel: event.targetLabel,
    changes: event.changes,
    details: event.details,
    outcome: event.outcome,
    ip: event.ip,
    requestId: event.requestId,
  };
}
