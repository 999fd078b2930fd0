import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

const MAX_ID_LENGTH = 200;

/** Who is asking, for analytics: user from `x-user` or the body's `user`; session from `x-session-id`. */
export class IdentifyStage implements GatewayStage {
  readonly name = 'identify';

  run(ctx: GatewayContext): void {
    const user = ctx.userHeader || (typeof ctx.body.user === 'string' ? ctx.body.user : undefined);
    if (user) ctx.user = user.slice(0, MAX_ID_LENGTH);
    if (ctx.sessionHeader) ctx.sessionId = ctx.sessionHeader.slice(0, MAX_ID_LENGTH);
  }
}
