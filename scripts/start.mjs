// `npm start`: prepare the database once, then run the proxy (:3000) and the console (:3001)
// until Ctrl-C / SIGTERM, which each service answers by closing cleanly (the proxy drains its
// streams for up to SHUTDOWN_TIMEOUT, 60 s, then writes every pending bill).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;

const prepare = spawnSync(node, ['packages/db/dist/cli/prepare.js'], {
  cwd: root,
  stdio: 'inherit',
});
if (prepare.status !== 0) process.exit(prepare.status ?? 1);

const services = [
  ['proxy', 'apps/proxy/dist/server.js'],
  ['console', 'apps/console/dist/server/server.js'],
].map(([name, entry]) => ({ name, child: spawn(node, [entry], { cwd: root, stdio: 'inherit' }) }));

let stopping = false;
let exitCode = 0;
function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const { child } of services) if (child.exitCode === null) child.kill(signal);
}

process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

let running = services.length;
for (const { name, child } of services) {
  child.on('exit', (code, signal) => {
    if (!stopping) {
      // One service died on its own: take the other down too rather than run half a gateway.
      console.error(`${name} exited (${signal ?? code}); stopping`);
      exitCode = code || 1;
      stopAll('SIGTERM');
    } else if (code) {
      exitCode = code;
    }
    if (--running === 0) process.exit(exitCode);
  });
}
