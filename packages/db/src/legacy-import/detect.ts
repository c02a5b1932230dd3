import { LegacyImportError } from './errors.js';
import type { SourceDatabase } from './source.js';

export type LegacyProject = 'one-api' | 'new-api';

export interface Detection {
  project: LegacyProject;
  /** One API / New API, for the report. */
  name: string;
  /** A rough version, from the columns its releases added. */
  version: string;
}

const REQUIRED: Record<string, string[]> = {
  users: ['id', 'username', 'password', 'role', 'status', 'quota', 'group'],
  tokens: ['id', 'user_id', 'key', 'status', 'remain_quota', 'expired_time'],
  channels: ['id', 'type', 'key', 'status', 'models', 'group'],
  options: ['key', 'value'],
};

/**
 * One API and New API share their first tables (New API began as a fork); New API adds columns
 * and tables of its own. Anything without One API's core tables is refused before any write.
 */
export async function detectProject(source: SourceDatabase): Promise<Detection> {
  const missing: string[] = [];
  for (const [table, needed] of Object.entries(REQUIRED)) {
    if (!source.tables.has(table)) {
      missing.push(`table ${table}`);
      continue;
    }
    const columns = await source.columns(table);
    missing.push(...needed.filter((c) => !columns.has(c)).map((c) => `${table}.${c}`));
  }
  if (missing.length > 0) {
    throw new LegacyImportError(
      `${source.location} is neither a One API nor a New API database (missing ${missing.slice(0, 5).join(', ')})`,
    );
  }
  const users = await source.columns('users');
  const tokens = await source.columns('tokens');
  const channels = await source.columns('channels');
  const newApi =
    tokens.has('model_limits_enabled') ||
    users.has('aff_count') ||
    source.tables.has('setups') ||
    source.tables.has('midjourneys');
  if (newApi) {
    const version = channels.has('channel_info')
      ? 'v0.8.5 or later (multi-key channels)'
      : tokens.has('allow_ips')
        ? 'v0.3 to v0.8.4 (token model and IP limits)'
        : 'an early release (no token limits)';
    return { project: 'new-api', name: 'New API', version };
  }
  const version =
    tokens.has('models') && tokens.has('subnet')
      ? 'v0.6.x or later (token model and subnet limits)'
      : tokens.has('used_quota')
        ? 'v0.5.x'
        : 'v0.4.x or earlier';
  return { project: 'one-api', name: 'One API', version };
}
