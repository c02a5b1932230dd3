import { consoleLogger, type Logger } from './cache/logger.js';

const SHUTDOWN_LIMIT_MS = 10_000;

/**
 * Runs a service that holds the database: a failed start prints one line (the error names the
 * variable or server) and exits 1; SIGINT/SIGTERM run the returned close function — flushing
 * buffers, closing the database and Redis — and exit, forcibly after 10 s.
 */
export async function runService(
  name: string,
  start: (logger: Logger) => Promise<() => Promise<void>>,
): Promise<void> {
  let close: () => Promise<void>;
  try {
    close = await start(consoleLogger);
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    consoleLogger.info(`${name}: ${signal} received, shutting down`);
    setTimeout(() => {
      console.error(`${name}: still closing after ${SHUTDOWN_LIMIT_MS / 1000} s, exiting`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    close().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`${name}: error while shutting down: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
