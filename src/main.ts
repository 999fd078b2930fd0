import 'reflect-metadata';

import { ConfigError, loadConfig } from './core/config';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`model-prism: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // The module graph loads only after the configuration is known to be valid, so a bad variable
  // is reported in one line, fast, whatever state the rest of the code is in.
  const { createApp } = await import('./app.factory');
  const { startEmbeddedDatabase } = await import('./core/database/embedded-database');
  const { createRootLogger } = await import('./core/logging/pino-logger');
  const { isClusterWorker, runPrimary } = await import('./core/cluster/process-workers');
  const logger = createRootLogger(config.logLevel, !config.isProduction && process.stdout.isTTY);
  if (!config.mongodbUri) {
    // With WORKERS > 1 the primary starts the one embedded database and its workers inherit it.
    const uri = await startEmbeddedDatabase(logger);
    config = loadConfig({ ...process.env, MONGODB_URI: uri });
  }
  if (config.workers > 1 && !isClusterWorker()) {
    runPrimary(
      config.workers,
      { ...process.env, MONGODB_URI: config.mongodbUri },
      {
        info: (message) => logger.info({ role: config.role }, message),
        error: (message) => logger.error(message),
      },
    );
    return;
  }
  const app = await createApp(config, { logger });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  logger.info(
    { role: config.role, port: config.port },
    `Model Prism listening on http://localhost:${config.port}`,
  );
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `model-prism: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
