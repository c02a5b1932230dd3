/**
 * The Docker image and docker-compose.yml, checked without a Docker engine (none runs in CI):
 * the build context the Dockerfile copies from, the runtime stage's layout started from a clean
 * directory exactly as the image starts it (same entry point, same environment, same health
 * check), and the compose file's services and variables against what the gateway reads.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readStorageConfig } from '@chat-api/db';
import {
  copyPaths,
  dockerignore,
  execForm,
  parseDockerfile,
  stageEnv,
  type Stage,
} from './dockerfile.js';
import { freePort, waitForHttp } from './gateway-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const stages = parseDockerfile(read('Dockerfile'));
const excluded = dockerignore(read('.dockerignore'));
const runtime = stages.at(-1)!;
const build = stages.find((stage) => stage.name === 'build')!;
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { name?: string; link?: boolean; dev?: boolean }>;
};

function instructions(stage: Stage, keyword: string) {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}
function last(stage: Stage, keyword: string) {
  const found = instructions(stage, keyword).at(-1);
  if (!found) throw new Error(`the ${stage.name} stage has no ${keyword}`);
  return found;
}
/** What git tracks: the files a clone (and so the build context) has. */
const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .stdout.split('\0')
  .filter((path) => path && existsSync(join(ROOT, path)));

const workspaces = Object.entries(lock.packages)
  .filter(([key, entry]) => key !== '' && !key.includes('node_modules/') && entry.name)
  .map(([key]) => key);

/** The runtime's working directory, where the staged tree goes. */
const workdir = last(runtime, 'WORKDIR').rest;
const imageEnv = stageEnv(runtime);
const entrypoint = [
  ...(execForm(instructions(runtime, 'ENTRYPOINT').at(-1)?.rest ?? '[]') ?? []),
  ...(execForm(instructions(runtime, 'CMD').at(-1)?.rest ?? '[]') ?? []),
];
const healthcheck = last(runtime, 'HEALTHCHECK');

describe('Dockerfile', () => {
  it('builds in one stage and runs from another on the same slim Node 20 base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    expect(runtime.from).toMatch(/^node:20(\.\d+)*-\w+-slim$/);
    // sqlite3 is built against the build stage's libsqlite3: the runtime must be the same release.
    expect(build.from).toBe(runtime.from);
  });

  it('copies from the build context only files that exist there and are not ignored', () => {
    const copies = stages.flatMap((stage) =>
      [...instructions(stage, 'COPY'), ...instructions(stage, 'ADD')].filter(
        (copy) => !copy.flags.from,
      ),
    );
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      for (const source of copyPaths(copy.rest).sources) {
        if (source === '.') continue;
        expect(existsSync(join(ROOT, source)), `${source} exists`).toBe(true);
        expect(excluded(source), `${source} is not in .dockerignore`).toBe(false);
      }
    }
  });

  it('copies every workspace manifest before npm ci (the lockfile lists them all)', () => {
    const index = build.instructions.findIndex(
      (instruction) => instruction.keyword === 'RUN' && /\bnpm ci\b/.test(instruction.rest),
    );
    expect(index).toBeGreaterThan(-1);
    const before = build.instructions
      .slice(0, index)
      .filter((instruction) => instruction.keyword === 'COPY')
      .flatMap((copy) => copyPaths(copy.rest).sources);
    for (const file of ['package.json', 'package-lock.json']) expect(before).toContain(file);
    for (const workspace of workspaces) expect(before).toContain(`${workspace}/package.json`);
  });

  it('sends the sources the build needs, and nothing built or installed on the host', () => {
    const context = tracked.filter((path) => !excluded(path));
    expect(context.length).toBeGreaterThan(0);
    const built = workspaces.filter(
      (workspace) =>
        (JSON.parse(read(`${workspace}/package.json`)) as { scripts?: Record<string, string> })
          .scripts?.build,
    );
    expect(built).toEqual(expect.arrayContaining(['apps/proxy', 'apps/console', 'packages/db']));
    const needed = [
      'package.json',
      'package-lock.json',
      'turbo.json',
      'tsconfig.base.json',
      ...readdirSync(join(ROOT, 'scripts')).map((file) => `scripts/${file}`),
      ...tracked.filter((path) =>
        built.some(
          (workspace) =>
            path.startsWith(`${workspace}/src/`) ||
            path.startsWith(`${workspace}/web/`) ||
            /^(package\.json|tsconfig[\w.]*\.json|vite\.config\.ts)$/.test(
              path.slice(workspace.length + 1),
            ),
        ),
      ),
    ];
    for (const path of needed) expect(excluded(path), `${path} is sent`).toBe(false);
    for (const path of [
      'node_modules/sqlite3/package.json',
      'apps/console/node_modules/@fastify/static/package.json',
      'packages/db/dist/index.js',
      'apps/console/dist/web/index.html',
      '.turbo/cache/x',
      'data/chat-api.db',
      '.git/HEAD',
      '.env',
      'e2e/test/start.test.ts',
      'bench/results/latest.json',
    ]) {
      expect(excluded(path), `${path} is not sent`).toBe(true);
    }
  });

  it('runs the build, keeps production dependencies only, and stages what the runtime copies', () => {
    const run = instructions(build, 'RUN')
      .map((instruction) => instruction.rest)
      .join(' && ');
    const steps = [
      /turbo run build|npm run build/,
      /npm prune --omit=dev/,
      /node scripts\/stage-runtime\.mjs (\S+)/,
    ].map((pattern) => {
      const match = pattern.exec(run);
      expect(match, `build stage runs ${pattern}`).not.toBeNull();
      return match!;
    });
    expect(steps[0]!.index).toBeLessThan(steps[1]!.index);
    expect(steps[1]!.index).toBeLessThan(steps[2]!.index);
    const staged = steps[2]![1];

    const fromBuild = instructions(runtime, 'COPY').filter((copy) => copy.flags.from === 'build');
    expect(fromBuild.map((copy) => copyPaths(copy.rest))).toEqual([
      { sources: [staged], destination: workdir },
    ]);
    // The runtime copies nothing else from the context: no sources, no host files.
    expect(instructions(runtime, 'COPY').filter((copy) => !copy.flags.from)).toEqual([]);
  });

  it('links sqlite3 against a libsqlite3 the runtime installs', () => {
    const buildEnv = stageEnv(build);
    expect(buildEnv.npm_config_sqlite).toBe('/usr');
    expect(instructions(build, 'RUN').some((run) => /libsqlite3-dev/.test(run.rest))).toBe(true);
    const runtimeRun = instructions(runtime, 'RUN')
      .map((run) => run.rest)
      .join(' ');
    expect(runtimeRun).toMatch(/apt-get install .*libsqlite3-0/);
    // …and no compiler: that is the build stage's.
    expect(runtimeRun).not.toMatch(/\b(g\+\+|make|python3|build-essential)\b/);
  });

  it('keeps SQLite on the /data volume, exposes both ports and starts in exec form', () => {
    const volumes = instructions(runtime, 'VOLUME').map((volume) => volume.rest);
    expect(volumes).toContain('/data');
    expect(imageEnv.SQLITE_PATH).toBe('/data/chat-api.db');
    // The data directory exists in the image and belongs to the gateway's user (a named volume
    // starts as a copy of it).
    expect(
      instructions(runtime, 'RUN').some((run) =>
        /mkdir -p \/data.*chown node:node \/data/.test(run.rest),
      ),
    ).toBe(true);
    const exposed = instructions(runtime, 'EXPOSE').flatMap((expose) => expose.rest.split(/\s+/));
    expect(exposed).toEqual(expect.arrayContaining(['3000', '3001']));
    expect([imageEnv.PROXY_PORT ?? '3000', imageEnv.CONSOLE_PORT ?? '3001']).toEqual([
      '3000',
      '3001',
    ]);
    // Shell form would make /bin/sh PID 1, and SIGTERM would never reach the launcher.
    expect(execForm(last(runtime, 'ENTRYPOINT').rest)).toBeDefined();
    expect(entrypoint[0]).toBe('node');
    expect(healthcheck.rest).toMatch(/^CMD \[/);
  });
});

/**
 * Started as root, the entry point drops to uid 1000, which then reads the dependencies this
 * checkout links in: only possible when every directory above it lets others through.
 */
function checkoutReadableByOthers(): boolean {
  const dirs = ROOT.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/') || '/');
  return dirs.every((dir) => (statSync(dir).mode & 0o001) !== 0);
}
const cannotDropRoot = process.getuid?.() === 0 && !checkoutReadableByOthers();
if (cannotDropRoot) {
  console.warn(`docker-image: skipped starting the image: uid 1000 cannot read ${ROOT}`);
}

describe('the image started from a clean directory', () => {
  let stage: string;
  let dataDir: string;

  beforeAll(() => {
    // What `COPY --from=build /app /app` brings, laid out by the same script the build stage runs;
    // the dependencies are linked to this checkout's instead of copied (minus dev ones).
    stage = mkdtempSync(join(tmpdir(), 'chat-api-image-'));
    chmodSync(stage, 0o755); // the gateway's user must be able to read it
    const staged = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts/stage-runtime.mjs'), stage, '--link'],
      {
        encoding: 'utf8',
      },
    );
    expect(staged.status, staged.stderr).toBe(0);
    const data = mkdtempSync(join(tmpdir(), 'chat-api-image-data-'));
    chmodSync(data, 0o755);
    // Like the directory `docker run -v ./data:/data` makes when ./data is missing: root's, 0755.
    dataDir = join(data, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
  });
  afterAll(() => {
    rmSync(stage, { recursive: true, force: true });
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('holds the entry point, the launcher, the built services and the console web assets', () => {
    const at = (path: string) => join(stage, path);
    expect(existsSync(at(entrypoint[1]!))).toBe(true);
    // The entry point runs `npm start`'s launcher, and the launcher's targets are all there.
    expect(read(entrypoint[1]!)).toContain("import('./start.mjs')");
    expect(read('package.json')).toMatch(/"start": ".*node scripts\/start\.mjs"/);
    const targets = [...read('scripts/start.mjs').matchAll(/'((?:apps|packages)\/[^']+\.js)'/g)];
    expect(targets.map(([, path]) => path)).toEqual(
      expect.arrayContaining(['packages/db/dist/cli/prepare.js', 'apps/proxy/dist/server.js']),
    );
    for (const [, path] of targets) expect(existsSync(at(path!)), path).toBe(true);
    expect(existsSync(at('apps/console/dist/web/index.html'))).toBe(true);
    expect(existsSync(at(execForm(healthcheck.rest.replace(/^CMD /, ''))![1]!))).toBe(true);
    // Workspaces resolve to the staged copies, not to this checkout.
    expect(realpathSync(at('node_modules/@chat-api/db'))).toBe(realpathSync(at('packages/db')));
    // Production dependencies only: no tests, no build tools, no e2e or bench workspaces.
    // (typescript stays: @trpc/server names it as a required peer, so npm counts it as production.)
    for (const path of [
      'node_modules/vitest',
      'node_modules/vite',
      'node_modules/turbo',
      'node_modules/@chat-api/e2e',
      'e2e',
      'bench',
      'apps/proxy/src',
    ]) {
      expect(existsSync(at(path)), path).toBe(false);
    }
  });

  it.skipIf(cannotDropRoot)(
    'serves the proxy and the console, passes its health check, and fails it once stopped',
    async () => {
      const [proxyPort, consolePort] = [await freePort(), await freePort()];
      const env = {
        PATH: process.env.PATH ?? '',
        ...imageEnv,
        // Where `-v ./data:/data` and `-p` put them; loopback only, as a test.
        SQLITE_PATH: join(dataDir, 'chat-api.db'),
        PROXY_PORT: `${proxyPort}`,
        CONSOLE_PORT: `${consolePort}`,
        HOST: '127.0.0.1',
      };
      const runHealthcheck = () => {
        const [program, ...args] = execForm(healthcheck.rest.replace(/^CMD /, ''))!;
        expect(program).toBe('node');
        return spawnSync(process.execPath, args, { cwd: stage, env, encoding: 'utf8' });
      };

      let output = '';
      const child = spawn(process.execPath, entrypoint.slice(1), {
        cwd: stage,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        const health = await waitForHttp(`http://127.0.0.1:${proxyPort}/healthz`);
        expect(health.status, output).toBe(200);
        expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });

        const home = await fetch(`http://127.0.0.1:${proxyPort}/`, { redirect: 'manual' });
        expect(home.status).toBe(302);
        expect(home.headers.get('location')).toBe(`http://127.0.0.1:${consolePort}/`);

        const page = await waitForHttp(`http://127.0.0.1:${consolePort}/`);
        expect(page.headers.get('content-type')).toContain('text/html');
        const html = await page.text();
        const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
        expect(script, html).toBeDefined();
        const asset = await fetch(new URL(script!, `http://127.0.0.1:${consolePort}/`));
        expect(asset.status).toBe(200);
        expect(asset.headers.get('content-type')).toContain('javascript');

        const healthy = runHealthcheck();
        expect(healthy.status, healthy.stderr).toBe(0);

        expect(existsSync(env.SQLITE_PATH)).toBe(true);
        if (process.getuid?.() === 0) {
          // Started as root, as the image is: the data directory and the database were handed to
          // the `node` user (uid 1000), and the launcher runs as that user, not as root.
          expect(statSync(dataDir).uid).toBe(1000);
          expect(statSync(env.SQLITE_PATH).uid).toBe(1000);
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
        } else {
          console.warn('docker-image: not root, the hand-over of /data to uid 1000 is not checked');
        }
      } finally {
        child.kill('SIGTERM');
        expect(await exited, output).toBe(0);
      }
      const down = runHealthcheck();
      expect(down.status).not.toBe(0);
      expect(down.stderr).toContain('unhealthy');
    },
  );

  it('fails its health check while the proxy reports its database unreachable', async () => {
    // Stand-ins on the two ports: /healthz answers 503 as the proxy does without its database.
    const proxy = http.createServer((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end('{"status":"error","database":"unreachable"}');
    });
    const console_ = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => console_.listen(0, '127.0.0.1', resolve));
    try {
      const env = {
        PATH: process.env.PATH ?? '',
        PROXY_PORT: `${(proxy.address() as net.AddressInfo).port}`,
        CONSOLE_PORT: `${(console_.address() as net.AddressInfo).port}`,
      };
      const args = execForm(healthcheck.rest.replace(/^CMD /, ''))!.slice(1);
      // Asynchronously, so that the stand-ins can answer.
      const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        let stderr = '';
        const check = spawn(process.execPath, args, { cwd: stage, env });
        check.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        check.on('exit', (status) => resolve({ status, stderr }));
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('503');
    } finally {
      proxy.close();
      console_.close();
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = parseYaml(read('docker-compose.yml')) as {
    services: Record<
      string,
      {
        image?: string;
        build?: string | { context: string };
        environment?: Record<string, string>;
        ports?: string[];
        depends_on?: Record<string, { condition: string }>;
        healthcheck?: { test: string[] | string };
        volumes?: string[];
        stop_grace_period?: string;
      }
    >;
    volumes?: Record<string, unknown>;
  };
  const services = compose.services;
  const gateway = services['chat-api']!;

  /** Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}` against `vars`. */
  function interpolate(value: string, vars: Record<string, string>): string {
    return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op, arg: string) => {
      if (vars[name]) return vars[name];
      if (op === '-') return arg;
      if (op === '?') throw new Error(`${name}: ${arg}`);
      return '';
    });
  }
  const environment = (name: string, vars: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries(services[name]?.environment ?? {}).map(([key, value]) => [
        key,
        interpolate(String(value), vars),
      ]),
    );

  it('runs the gateway built from this Dockerfile beside PostgreSQL and Redis', () => {
    expect(Object.keys(services).sort()).toEqual(['chat-api', 'postgres', 'redis']);
    const context = typeof gateway.build === 'string' ? gateway.build : gateway.build?.context;
    expect(context).toBe('.');
    expect(services.postgres!.image).toMatch(/^postgres:1[67]\b/);
    expect(services.redis!.image).toMatch(/^redis:/);
    // The ports the image exposes, published as the README says.
    expect(gateway.ports).toEqual(expect.arrayContaining(['3000:3000', '3001:3001']));
  });

  it('sets only variables the gateway reads', () => {
    const sources = [
      ...tracked.filter(
        (path) =>
          /^(apps|packages)\/[^/]+\/src\/.*\.ts$/.test(path) &&
          !path.endsWith('.test.ts') &&
          !path.includes('/testing/'),
      ),
      ...tracked.filter((path) => /^scripts\/.*\.mjs$/.test(path)),
    ].map(read);
    const known = new Set(
      sources.flatMap((source) => [
        ...[...source.matchAll(/\w+Var\(\s*env,\s*'([A-Z][A-Z0-9_]*)'/g)].map(([, name]) => name),
        ...[...source.matchAll(/frequencySeconds\(\s*env,\s*'([A-Z][A-Z0-9_]*)'/g)].map(
          ([, name]) => name,
        ),
        ...[...source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map(([, name]) => name),
      ]),
    );
    // The scan itself works: it finds variables of each kind.
    expect([...known]).toEqual(
      expect.arrayContaining(['SQL_DSN', 'SQLITE_PATH', 'REDIS_CONN_STRING', 'SESSION_SECRET']),
    );
    const set = Object.keys(gateway.environment ?? {});
    expect(set.length).toBeGreaterThan(0);
    for (const name of set) expect(known, `${name} is read by the gateway`).toContain(name);
  });

  it('points SQL_DSN at the postgres service with its own user, password and database', () => {
    const vars = { SESSION_SECRET: 'x'.repeat(64), POSTGRES_PASSWORD: 's3cret' };
    for (const withVars of [vars, { SESSION_SECRET: vars.SESSION_SECRET }]) {
      const env = environment('chat-api', withVars);
      const postgres = environment('postgres', withVars);
      const config = readStorageConfig(env);
      expect(config.database.target).toMatchObject({
        dialect: 'postgres',
        host: 'postgres',
        port: 5432,
        username: postgres.POSTGRES_USER,
        password: postgres.POSTGRES_PASSWORD,
        database: postgres.POSTGRES_DB,
      });
      expect(postgres.POSTGRES_PASSWORD).not.toBe('');
      expect(new URL(config.cache.redisUrl!).hostname).toBe('redis');
      expect(env.SESSION_SECRET).toBe(vars.SESSION_SECRET);
    }
    // The healthcheck asks for the same user and database.
    const test = [services.postgres!.healthcheck!.test].flat().join(' ');
    expect(test).toContain(`-U ${environment('postgres').POSTGRES_USER}`);
    expect(test).toContain(`-d ${environment('postgres').POSTGRES_DB}`);
  });

  it('refuses to start without a SESSION_SECRET rather than ship a known one', () => {
    expect(() => environment('chat-api', {})).toThrow(/SESSION_SECRET/);
  });

  it('starts the gateway once both services are healthy, and keeps their data in volumes', () => {
    expect(gateway.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    for (const name of ['postgres', 'redis']) {
      expect(services[name]!.healthcheck?.test, `${name} healthcheck`).toBeDefined();
    }
    const postgresVolume = services.postgres!.volumes?.find((volume) =>
      volume.endsWith(':/var/lib/postgresql/data'),
    );
    expect(postgresVolume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(postgresVolume!.split(':')[0]);
  });

  it('gives the proxy time to drain its streams and write its bills when stopped', () => {
    // SHUTDOWN_TIMEOUT defaults to 60 s; Docker's own default grace is 10 s, then SIGKILL.
    const grace = /^(\d+)s$/.exec(gateway.stop_grace_period ?? '');
    expect(grace).not.toBeNull();
    expect(Number(grace![1])).toBeGreaterThan(60);
  });
});
