import pino from "pino";
import { getEnv } from "@/lib/env";

/** Paths whose values never reach a log line, whatever the caller passes. */
const redactPaths = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers['api-key']",
  "secret",
  "*.secret",
];

function createLogger() {
  const env = getEnv();
  return pino({
    level: env.NODE_ENV === "test" && env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL,
    base: { service: "rankwise" },
    redact: { paths: redactPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

const globalForLogger = globalThis as unknown as { rankwiseLogger?: pino.Logger };

export const logger: pino.Logger = globalForLogger.rankwiseLogger ?? createLogger();
globalForLogger.rankwiseLogger = logger;

export type Logger = pino.Logger;
