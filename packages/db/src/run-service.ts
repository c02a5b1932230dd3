import { consoleLogger, type Logger } from './cache/logger.js';

/** Past the drain, how long writing what is owed and closing the database may take. */
const CLOSE_LIMIT_MS = 10_000;
/**
 * `npm start` passes Ctrl-C on to its services, which also got it from the terminal: a signal
 * this soon after the first is that same one, not the operator insisting.
 */
const REPEAT_WINDOW_MS = 1000;

export interface RunningService {
  /** Stops taking work, lets (or makes) what is in flight end, writes what is owed, closes. */
  close(): Promise<void>;
  /** How long close() lets requests in flight run before it cuts them (SHUTDOWN_TIMEOUT). */
  drainMs: number;
}

/**
 * Runs a service that holds the database: a failed start prints one line (the error names the
 * variable or server) and exits 1. SIGINT/SIGTERM run close() and exit 0 once it is done; the
 * process exits 1 anyway when close() is still running CLOSE_LIMIT_MS past the drain, or on a
 * second signal (what was not written then is lost, and the log says so).
 */
export async function runService(
  name: string,
  start: (logger: Logger) => Promise<RunningService>,
): Promise<void> {
  let service: RunningService;
  try {
    service = await start(consoleLogger);
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  }
  let stoppingSince: number | undefined;
  const stop = (signal: string) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < REPEAT_WINDOW_MS) return;
      console.error(`${name}: ${signal} received again, exiting before the shutdown finished`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    consoleLogger.info(
      `${name}: ${signal} received, shutting down (a second signal exits at once)`,
    );
    const limitMs = service.drainMs + CLOSE_LIMIT_MS;
    setTimeout(() => {
      console.error(`${name}: still closing after ${limitMs / 1000} s, exiting`);
      process.exit(1);
    }, limitMs).unref();
    service.close().then(
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
