import type { ProviderCheckResult, UpstreamModel } from '../provider-adapter';

/**
 * A connection check by listing models: one log line saying what is called, then the outcome with
 * the latency and model count. Shared by every adapter's `check`.
 */
export async function checkByListing(
  describe: () => string,
  list: () => Promise<UpstreamModel[]>,
): Promise<ProviderCheckResult> {
  const started = performance.now();
  const log: string[] = [];
  try {
    log.push(describe());
    const models = await list();
    const latencyMs = Math.round(performance.now() - started);
    log.push(`OK in ${latencyMs} ms, ${models.length} model(s) listed`);
    return { ok: true, latencyMs, log, models: models.length };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    const message = error instanceof Error ? error.message : String(error);
    log.push(`Failed after ${latencyMs} ms: ${message}`);
    return { ok: false, latencyMs, log, error: message };
  }
}
