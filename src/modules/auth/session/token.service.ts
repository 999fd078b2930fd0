import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

/** Claims of an access token. The role is deliberately absent: it is read from the database on every request. */
export interface AccessTokenClaims {
  sub: string;
  /** The user's token version when the token was issued; a bump revokes the token. */
  tv: number;
  /** Expiry in seconds since the epoch (standard `exp`). */
  exp: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Issues and verifies HS256 access tokens signed with JWT_SECRET (expiry from JWT_EXPIRES_IN). */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  issue(userId: string, tokenVersion: number): IssuedToken {
    const token = this.jwt.sign({ sub: userId, tv: tokenVersion });
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid, unexpired token, else null (never throws on bad input). */
  verify(token: string): AccessTokenClaims | null {
    try {
      const claims = this.jwt.verify<Partial<AccessTokenClaims>>(token);
      if (typeof claims.sub !== 'string' || typeof claims.tv !== 'number' || typeof claims.exp !== 'number')
        return null;
      return { sub: claims.sub, tv: claims.tv, exp: claims.exp };
    } catch {
      return null;
    }
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
