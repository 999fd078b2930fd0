import { loadConfig } from './app-config';
import { loadRuntimeDefaults, RUNTIME_SETTING_DEFINITIONS, runtimeSettingProblem } from './runtime-defaults';

describe('runtime setting defaults from the environment', () => {
  it('uses the built-in defaults when no variable is set', () => {
    const defaults = loadRuntimeDefaults({}, 'info');
    expect(defaults).toMatchObject({
      requestLogRetentionDays: 90,
      rollupRetentionDays: 730,
      promptLoggingDefault: false,
      gatewayMaxInFlight: 4_096,
      gatewayDrainTimeoutMs: 25_000,
      logLevel: 'info',
    });
  });

  it('reads each variable and takes the log level AppConfig validated', () => {
    const config = loadConfig({
      LOG_LEVEL: 'debug',
      REQUEST_LOG_RETENTION_DAYS: '14',
      PROMPT_LOGGING_DEFAULT: 'true',
      GATEWAY_IP_RATE_LIMIT_PER_MIN: '0',
    });
    expect(config.runtimeDefaults).toMatchObject({
      logLevel: 'debug',
      requestLogRetentionDays: 14,
      promptLoggingDefault: true,
      gatewayIpRequestsPerMinute: 0,
    });
  });

  it('refuses to boot on a bad value, naming every bad variable on one line', () => {
    expect(() => loadConfig({ GATEWAY_MAX_IN_FLIGHT: '0', PROMPT_LOGGING_DEFAULT: 'yes' })).toThrow(
      /^Invalid environment: PROMPT_LOGGING_DEFAULT="yes" must be true or false \| GATEWAY_MAX_IN_FLIGHT="0" must be an integer from 1 to 1000000$/,
    );
    expect(() => loadConfig({ ROLLUP_RETENTION_DAYS: '1.5' })).toThrow(/ROLLUP_RETENTION_DAYS/);
  });

  it('gives every setting a distinct environment variable', () => {
    const names = Object.values(RUNTIME_SETTING_DEFINITIONS).map((d) => d.env);
    expect(new Set(names).size).toBe(names.length);
  });

  it('checks values by kind', () => {
    expect(runtimeSettingProblem('gatewayRetryMaxRetries', 3)).toBeUndefined();
    expect(runtimeSettingProblem('gatewayRetryMaxRetries', 11)).toMatch(/0 to 10/);
    expect(runtimeSettingProblem('logLevel', 'debug')).toBeUndefined();
    expect(runtimeSettingProblem('logLevel', 'loud')).toMatch(/one of/);
    expect(runtimeSettingProblem('promptLoggingDefault', 'true')).toMatch(/true or false/);
  });
});
