import { type BreakdownItemDto } from '../../api/models/breakdown-item-dto';
import { type Dimension } from './analytics.store';

/** Query parameters of `/requests` (the request log's address filters). */
export type LogQuery = Record<string, string>;

/** The range and tenant the dashboard shows: every link into the log keeps them. */
export interface LogScope {
  from: string;
  to: string;
  /** Tenant id or slug the dashboard is filtered to; '' = all. */
  tenant: string;
}

function scoped(scope: LogScope, filters: LogQuery): LogQuery {
  return { from: scope.from, to: scope.to, ...(scope.tenant ? { tenant: scope.tenant } : {}), ...filters };
}

/**
 * The request-log filters behind one breakdown figure, or null when the figure has no single
 * log value (the "none" bucket of requests without a category, user, key…).
 */
export function breakdownLogQuery(
  dimension: Dimension,
  item: BreakdownItemDto,
  scope: LogScope,
): LogQuery | null {
  if (!item.key) return null;
  switch (dimension) {
    case 'tenant':
      return scoped(scope, { tenant: item.tenantId ?? item.key });
    case 'model':
      return scoped(scope, { routedModel: item.key });
    case 'provider':
      return scoped(scope, { provider: item.key });
    case 'category':
      return scoped(scope, { category: item.key });
    case 'tier':
      return scoped(scope, { tier: item.key });
    case 'user':
      // A user name is per tenant: the link names both.
      return scoped(scope, { user: item.label, ...(item.tenantId ? { tenant: item.tenantId } : {}) });
    case 'key':
      return scoped(scope, { keyPrefix: item.label });
    case 'errorType':
      // Failures without an error type are counted under their status.
      return scoped(
        scope,
        item.key === 'error' || item.key === 'aborted' ? { status: item.key } : { errorType: item.key },
      );
  }
}

/** The log behind a key figure: all requests of the range, or the failed and aborted ones (its errors). */
export function figureLogQuery(figure: 'requests' | 'errors', scope: LogScope): LogQuery {
  return scoped(scope, figure === 'errors' ? { status: 'failed' } : {});
}
