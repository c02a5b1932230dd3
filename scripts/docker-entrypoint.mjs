// The Docker image's entry point: `npm start`'s launcher (scripts/start.mjs: prepare the
// database, then the proxy and the console) without the build, which the image has done, always
// run as the unprivileged `node` user of the Node image (uid and gid 1000).
//
// Started as root (the image's default, so that the seed's `docker run -v ./data:/data …` works
// as written), it first hands the SQLite directory and files to that user: a bind mount Docker had
// to create belongs to root, and so do files left by an image that ran as root (One API's). Then
// it gives up root for good, before anything else runs. Started as another user (`--user`,
// Kubernetes' runAsUser) it changes nothing and just runs.
import { chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const APP_UID = 1000;
const APP_GID = 1000;

function handOverSqliteFiles() {
  // Only SQLite keeps files here; with SQL_DSN the data directory is left as it is.
  if ((process.env.SQL_DSN ?? '').trim() !== '') return;
  const file = resolve(process.env.SQLITE_PATH || './data/chat-api.db');
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const stats = statSync(dir);
  // A directory anyone may write to (/tmp) is left alone; any other one becomes the user's.
  if (stats.uid !== APP_UID && (stats.mode & 0o002) === 0) chownSync(dir, APP_UID, APP_GID);
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(path) && statSync(path).uid !== APP_UID) chownSync(path, APP_UID, APP_GID);
  }
}

if (process.getuid?.() === 0) {
  try {
    handOverSqliteFiles();
  } catch (error) {
    console.error(
      `SQLITE_PATH: cannot hand the data directory to uid ${APP_UID} (${error.message})`,
    );
    process.exit(1);
  }
  process.setgroups([APP_GID]);
  process.setgid(APP_GID);
  process.setuid(APP_UID);
  process.env.HOME = '/home/node';
  process.env.USER = 'node';
}

await import('./start.mjs');
