import type { FastCounter } from '../../../system/fast-counter';
import { hashApiKey } from '../../../tenants/api-key.util';
import type { KeyResolution } from '../../../tenants/tenant.types';
import type { GatewayConfigSource } from '../../config/gateway-config.source';
import { GatewayErrors } from '../../gateway.errors';
import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

/** Keys longer than this are not keys; refusing them early keeps hashing cheap. */
const MAX_KEY_LENGTH = 512;
/** Last-used time is written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;
const TOUCH_MAX_ENTRIES = 50_000;

/** The key a connection presented last, and its hash. */
interface PresentedKey {
  key: string;
  hash: string;
}

/**
 * Tenant auth (DESIGN.md §3 step 1): `Bearer <key>` (or `x-api-key`) → SHA-256 → key and tenant.
 * The tenant directory holds every key in memory and judges it (tenant active, key enabled, not
 * expired) at the request's time; only a key it has not loaded costs an asynchronous lookup.
 */
export class AuthStage implements GatewayStage {
  readonly name = 'auth';
  private readonly lastTouched = new Map<string, number>();
  /**
   * Per keep-alive connection, the last key presented on it and its SHA-256: a client sends the
   * same key on every request of a connection, so the hash (~1–5 µs on the request path) is paid
   * once per connection and key. Held no longer than the connection (a WeakMap on its socket);
   * only the hash is ever looked up, so the key's judgement (enabled, expiry) stays per request.
   */
  private readonly connectionKeys = new WeakMap<object, PresentedKey>();

  constructor(
    private readonly source: GatewayConfigSource,
    private readonly cacheLookups?: FastCounter<'cache' | 'result'>,
  ) {}

  run(ctx: GatewayContext): void | Promise<void> {
    // A console session chose the tenant (the playground); the tenant must still be active.
    if (ctx.principal) {
      if (!ctx.principal.tenant.active) throw GatewayErrors.tenantDisabled();
      return;
    }
    const presented = presentedKey(ctx);
    if (presented === undefined) throw GatewayErrors.missingApiKey();
    if (presented.length === 0 || presented.length > MAX_KEY_LENGTH) throw GatewayErrors.invalidApiKey();
    const hash = this.hashOf(presented, ctx.connection);
    const known = this.source.knownKey(hash, ctx.receivedAt.getTime());
    if (known) {
      this.cacheLookups?.inc({ cache: 'auth', result: 'hit' });
      this.accept(ctx, known);
      return;
    }
    this.cacheLookups?.inc({ cache: 'auth', result: 'miss' });
    return this.source
      .resolveKeyHash(hash, ctx.receivedAt)
      .then((resolution) => this.accept(ctx, resolution));
  }

  private hashOf(presented: string, connection: object | undefined): string {
    if (!connection) return hashApiKey(presented);
    const last = this.connectionKeys.get(connection);
    if (last?.key === presented) return last.hash;
    const hash = hashApiKey(presented);
    if (last) {
      last.key = presented;
      last.hash = hash;
    } else {
      this.connectionKeys.set(connection, { key: presented, hash });
    }
    return hash;
  }

  private accept(ctx: GatewayContext, resolution: KeyResolution): void {
    if (!resolution.ok) throw rejection(resolution.reason);
    const { tenant, key } = resolution;
    // On /api/:tenant/v1 the key must belong to that tenant; a key of another tenant is invalid here.
    if (ctx.tenantSlug !== undefined && ctx.tenantSlug !== tenant.slug) throw GatewayErrors.invalidApiKey();
    ctx.tenant = tenant;
    ctx.key = key;
    const now = ctx.receivedAt.getTime();
    const last = this.lastTouched.get(key.id) ?? 0;
    if (now - last >= TOUCH_EVERY_MS) {
      if (this.lastTouched.size >= TOUCH_MAX_ENTRIES) this.lastTouched.clear();
      this.lastTouched.set(key.id, now);
      this.source.touchKey(key.id, ctx.receivedAt);
    }
  }
}

function presentedKey(ctx: GatewayContext): string | undefined {
  const header = ctx.authorization;
  if (header !== undefined && header !== '') {
    // The usual spelling without a regex match (and its array) per request; the rest as before.
    if (header.startsWith('Bearer ')) return header.slice(7).trim();
    const match = /^Bearer\s+(.*)$/i.exec(header);
    return match ? (match[1] as string).trim() : '';
  }
  if (ctx.apiKeyHeader !== undefined && ctx.apiKeyHeader !== '') return ctx.apiKeyHeader.trim();
  return undefined;
}

function rejection(reason: Exclude<KeyResolution, { ok: true }>['reason']): Error {
  switch (reason) {
    case 'invalid_api_key':
      return GatewayErrors.invalidApiKey();
    case 'key_disabled':
      return GatewayErrors.keyDisabled();
    case 'key_expired':
      return GatewayErrors.keyExpired();
    case 'tenant_disabled':
      return GatewayErrors.tenantDisabled();
  }
}
