// The Docker image's HEALTHCHECK: exit 0 when the proxy's /healthz answers 200 (its database
// answers) and the console accepts connections on its port; 1 otherwise, with the reason.
// Node's own fetch, since the slim image has no curl. The console is only connected to, never
// sent a request, so health checks do not count against GLOBAL_WEB_RATE_LIMIT.
import net from 'node:net';

const proxyPort = Number(process.env.PROXY_PORT || 3000);
const consolePort = Number(process.env.CONSOLE_PORT || 3001);
const TIMEOUT_MS = 4000;

async function proxyHealthy() {
  const response = await fetch(`http://127.0.0.1:${proxyPort}/healthz`, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (response.status !== 200) {
    throw new Error(`proxy /healthz answered ${response.status}: ${await response.text()}`);
  }
}

function consoleListening() {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: consolePort });
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('timed out')));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (error) => reject(new Error(`console :${consolePort}: ${error.message}`)));
  });
}

try {
  await Promise.all([proxyHealthy(), consoleListening()]);
  process.exit(0);
} catch (error) {
  console.error(`unhealthy: ${error.cause?.message ?? error.message}`);
  process.exit(1);
}
