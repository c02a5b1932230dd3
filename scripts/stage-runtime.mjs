// Lays out what the Docker image runs, in TARGET: the launcher and its scripts, and for each
// workspace the gateway loads (the proxy, the console and the packages they depend on) its
// package.json, its built dist/ and its production node_modules.
//
//   node scripts/stage-runtime.mjs TARGET          copies (the image's build stage, after the build)
//   node scripts/stage-runtime.mjs TARGET --link   links the dependencies instead (the test that
//                                                  starts the image's entry point without Docker)
//
// A dependency is left out when package-lock.json marks it `dev` (what `npm prune --omit=dev`
// removes), and so is every workspace the gateway does not load (e2e, bench): whatever the
// runtime needs and is not here fails to load, in the image and in that test alike.
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [target, mode] = process.argv.slice(2);
if (!target || (mode !== undefined && mode !== '--link')) {
  console.error('usage: node scripts/stage-runtime.mjs TARGET [--link]');
  process.exit(2);
}
const link = mode === '--link';
const out = resolve(target);

/** The scripts the image runs: its entry point, `npm start`'s launcher and the health check. */
const SCRIPTS = ['scripts/docker-entrypoint.mjs', 'scripts/start.mjs', 'scripts/healthcheck.mjs'];
/** The workspaces the launcher starts (scripts/start.mjs); their dependencies follow. */
const ENTRY_WORKSPACES = ['apps/proxy', 'apps/console', 'packages/db'];

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
const json = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));

// Workspace directories by package name, from the lockfile's own entries for them.
const workspaceDirs = new Map(
  Object.entries(lock)
    .filter(([key, entry]) => key !== '' && !key.includes('node_modules/') && entry.name)
    .map(([key, entry]) => [entry.name, key]),
);

const workspaces = new Set();
const pending = [...ENTRY_WORKSPACES];
while (pending.length > 0) {
  const dir = pending.pop();
  if (workspaces.has(dir)) continue;
  workspaces.add(dir);
  for (const name of Object.keys(json(`${dir}/package.json`).dependencies ?? {})) {
    const dependency = workspaceDirs.get(name);
    if (dependency) pending.push(dependency);
  }
}

/**
 * Copies (or links) the node_modules directory at `dir` (relative to the repository), leaving out
 * what the lockfile marks dev or does not know (extraneous), dot entries (.bin, caches) and links
 * to workspaces that are not staged.
 */
function stageNodeModules(dir) {
  const from = join(root, dir);
  if (!existsSync(from)) return;
  mkdirSync(join(out, dir), { recursive: true });
  for (const name of readdirSync(from)) {
    if (name.startsWith('.')) continue;
    const key = posix.join(dir, name);
    if (name.startsWith('@') && !lock[key]) {
      stageScope(key);
      continue;
    }
    stageEntry(key);
  }
}

function stageScope(scopeDir) {
  for (const name of readdirSync(join(root, scopeDir))) stageEntry(posix.join(scopeDir, name));
}

function stageEntry(key) {
  const entry = lock[key];
  if (!entry || entry.dev) return;
  const from = join(root, key);
  const to = join(out, key);
  mkdirSync(dirname(to), { recursive: true });
  if (entry.link) {
    // A workspace: npm links it relatively, so it resolves to the staged copy.
    if (!workspaces.has(entry.resolved)) return;
    symlinkSync(relative(dirname(to), join(out, entry.resolved)), to);
  } else if (link) {
    symlinkSync(from, to);
  } else {
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

mkdirSync(out, { recursive: true });
cpSync(join(root, 'package.json'), join(out, 'package.json'));
for (const script of SCRIPTS) cpSync(join(root, script), join(out, script));
stageNodeModules('node_modules');
for (const dir of workspaces) {
  cpSync(join(root, dir, 'package.json'), join(out, dir, 'package.json'));
  const dist = join(root, dir, 'dist');
  if (!existsSync(dist) || !lstatSync(dist).isDirectory()) {
    console.error(`${dir}/dist is missing: build first (npx turbo run build)`);
    process.exit(1);
  }
  cpSync(dist, join(out, dir, 'dist'), { recursive: true });
  stageNodeModules(`${dir}/node_modules`);
}
console.log(`staged ${[...workspaces].sort().join(', ')} in ${out}${link ? ' (linked)' : ''}`);
