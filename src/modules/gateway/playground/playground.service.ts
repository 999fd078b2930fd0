import { Injectable, NotFoundException } from '@nestjs/common';

import { assertTenantAccess, type AuthenticatedUser, canAccessTenant } from '../../auth/rbac';
import { TenantDirectory } from '../../tenants/tenant-directory.service';
import type { GatewayHttpReply, GatewayHttpRequest } from '../gateway-http';
import { GatewayService } from '../gateway.service';
import type { IngressRoute } from '../ingress/gateway-ingress';
import type { PlaygroundChatDto, PlaygroundTenantDto } from './dto/playground.dto';
import { PlaygroundIngress } from './playground.ingress';

/** The caller's request as far as the playground needs it (id for `x-request-id`, client address). */
export interface PlaygroundRequest {
  readonly id: string;
  readonly ip: string;
}

/**
 * The console's chat playground: a signed-in user picks one of the tenants they may access and
 * chats through the same gateway pipeline as an API key would (limits, budgets, routing, analytics
 * with endpoint `playground`), without any key in the browser.
 */
@Injectable()
export class PlaygroundService {
  private readonly route: IngressRoute = { endpoint: 'chat', ingress: new PlaygroundIngress() };

  constructor(
    private readonly tenants: TenantDirectory,
    private readonly gateway: GatewayService,
  ) {}

  /** Active tenants the user may use, with the models each may call. */
  tenantsFor(user: AuthenticatedUser): PlaygroundTenantDto[] {
    return this.tenants
      .listTenants()
      .filter((tenant) => tenant.active && canAccessTenant(user, tenant.id))
      .map((tenant) => ({
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        models: this.gateway.modelIdsFor(tenant),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Runs one chat turn through the gateway; the answer (stream or JSON) goes straight to `reply`. */
  async chat(
    user: AuthenticatedUser,
    dto: PlaygroundChatDto,
    request: PlaygroundRequest,
    reply: GatewayHttpReply,
  ): Promise<void> {
    assertTenantAccess(user, dto.tenantId);
    const tenant = this.tenants.getTenant(dto.tenantId);
    if (tenant?.id !== dto.tenantId) throw new NotFoundException(`Tenant ${dto.tenantId} not found`);
    const gatewayRequest: GatewayHttpRequest = {
      id: request.id,
      ip: request.ip,
      headers: dto.sessionId ? { 'x-session-id': dto.sessionId } : {},
      body: chatBody(dto),
    };
    await this.gateway.handle(this.route, gatewayRequest, reply, undefined, {
      tenant,
      username: user.username,
    });
  }
}

/** The OpenAI chat body the pipeline runs on (streams ask for usage, which carries `cost_info`). */
export function chatBody(dto: PlaygroundChatDto): Record<string, unknown> {
  const stream = dto.stream ?? true;
  return {
    model: dto.model,
    messages: [
      ...(dto.systemPrompt ? [{ role: 'system', content: dto.systemPrompt }] : []),
      ...dto.messages.map((m) => ({ role: m.role, content: m.content })),
    ],
    ...(dto.temperature !== undefined ? { temperature: dto.temperature } : {}),
    ...(dto.maxTokens !== undefined ? { max_tokens: dto.maxTokens } : {}),
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  };
}
