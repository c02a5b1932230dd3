import type { AddressInfo } from 'node:net';
import { buildBaseline } from './baseline.js';
import { createFastUpstream } from './fast-upstream.js';

/**
 * Child-process entry of the bench's own services, so each can be pinned to a core:
 * `serve.ts upstream` or `serve.ts baseline <upstream url>`. Reports its port over IPC and
 * stops on SIGTERM or when the bench driver goes away.
 */
const [role, upstreamUrl] = process.argv.slice(2);

async function listen(): Promise<{ port: number; close: () => Promise<void> }> {
  if (role === 'upstream') {
    const server = createFastUpstream();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as AddressInfo).port,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
  if (role === 'baseline' && upstreamUrl) {
    const app = buildBaseline(upstreamUrl);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
  }
  throw new Error(`usage: serve.ts upstream | serve.ts baseline <upstream url> (got ${role})`);
}

const service = await listen();
process.send?.({ port: service.port });
const stop = () => {
  service.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
