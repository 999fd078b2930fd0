import {
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Audited } from '../../audit/audited.decorator';
import { AdminRoute, Permission } from '../../auth/rbac';
import { PodListResponseDto, type PodResponseDto } from './dto/pods.dto';
import { PodIsLive, PodNotFound, PodsService, type PodView } from './pods.service';

/** The pods of the cluster, from their heartbeats. */
@ApiTags('system')
@Controller('api/prism/admin/system/pods')
export class PodsController {
  constructor(private readonly pods: PodsService) {}

  @Get()
  @AdminRoute(Permission.SystemRead, { ok: PodListResponseDto })
  async list(): Promise<PodListResponseDto> {
    return {
      items: (await this.pods.list()).map(toPodResponse),
      staleAfterMs: this.pods.staleAfterMs,
      heartbeatIntervalMs: this.pods.staleAfterMs / 3,
    };
  }

  /** Forgets a stale or stopped pod (a live pod answers 409). */
  @Delete(':id')
  @HttpCode(204)
  @AdminRoute(Permission.SystemWrite, {
    noContent: 'Forgotten',
    notFound: 'No such pod',
    conflict: 'The pod is live',
  })
  @Audited('pod.forget', { targetType: 'pods' })
  async forget(@Param('id') id: string): Promise<void> {
    try {
      await this.pods.forget(id);
    } catch (error) {
      if (error instanceof PodNotFound) throw new NotFoundException(error.message);
      if (error instanceof PodIsLive) throw new ConflictException(error.message);
      throw error;
    }
  }
}

function toPodResponse(pod: PodView): PodResponseDto {
  const { _id, upstreams: _upstreams, traffic, ...rest } = pod;
  return {
    ...rest,
    id: _id,
    traffic: traffic.map((t) => ({ minute: new Date(t.minute), requests: t.requests, errors: t.errors })),
    requestsLastHour: traffic.reduce((sum, t) => sum + t.requests, 0),
    errorsLastHour: traffic.reduce((sum, t) => sum + t.errors, 0),
  };
}
