import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

import type { LogLevel } from '../config/environment';

/** Creates the process-wide pino logger: JSON lines, secrets redacted by path. */
export function createRootLogger(level: LogLevel, pretty: boolean): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    redact: {
      paths: [
        '*.password',
        '*.apiKey',
        '*.secretAccessKey',
        '*.authorization',
        '*.headers.authorization',
        '*.headers["x-api-key"]',
        '*.headers["api-key"]',
      ],
      censor: '[redacted]',
    },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
          },
        }
      : {}),
  });
}

/** Adapts pino to Nest's LoggerService so framework and app logs share one stream. */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
  setLogLevels(): void {
    // Levels come from LOG_LEVEL (and the runtime setting), not from Nest.
  }

  get pino(): Logger {
    return this.logger;
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    // Nest passes (message, ...optionalParams, context); the last string is the context.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack =
      level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n    at ')
        ? rest.shift()
        : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
