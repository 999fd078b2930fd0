import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/**
 * Issues HS256 access tokens signed with JWT_SECRET (expiry from JWT_EXPIRES_IN) carrying the user
 * id (`sub`) and token version (`tv`); JwtSessionStrategy verifies them.
 */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  issue(userId: string, tokenVersion: number): IssuedToken {
    const token = this.jwt.sign({ sub: userId, tv: tokenVersion });
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }
}

/** JWT_EXPIRES_IN accepts `12h`, `30m`, `7d` or plain seconds (`3600`). */
export function parseExpiresIn(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match) throw new Error(`Invalid token lifetime: ${value}`);
  const amount = Number(match[1]);
  const unit = match[2] ?? '';
  const factor = unit === 'm' ? 60 : unit === 'h' ? 3600 : unit === 'd' ? 86_400 : 1;
  return amount * factor;
}
