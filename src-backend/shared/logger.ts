import pino, { type Logger, type LoggerOptions } from 'pino';
import { pinoRedactPaths, REDACTED } from './redact.js';

/**
 * pino JSON lines on stdout: `{time, level, service, msg}`. The supervisor fans these in,
 * so the level is a label and the time ISO, which keeps the fan-in free of pino internals.
 */
export function loggerOptions(service: string): LoggerOptions {
  return {
    level: process.env.LOG_LEVEL || 'info',
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: pinoRedactPaths(), censor: REDACTED },
  };
}

export function createLogger(service: string): Logger {
  return pino(loggerOptions(service));
}
