import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UserStatus, type Database, type Log, type LogFilter } from '@chat-api/db';
import { identify } from '../context.js';
import { plainText } from '../routers/plain-text.js';
import { isAdmin, scoped } from '../routers/logs.js';

/** Logs read per query while the file streams out. */
const BATCH = 1000;

/** log.list's filters, as a query string carries them (numbers as text). */
const query = z.object({
  type: z.coerce.number().int().min(1).optional(),
  model: plainText(z.string().max(128)).optional(),
  tokenName: plainText(z.string().max(64)).optional(),
  username: plainText(z.string().max(64)).optional(),
  channelId: z.coerce.number().int().min(0).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
});

const COLUMNS = [
  'id',
  'time',
  'type',
  'username',
  'token',
  'model',
  'channel',
  'prompt_tokens',
  'completion_tokens',
  'quota',
  'stream',
  'ttft_ms',
  'duration_ms',
  'request_id',
  'content',
];

/**
 * One CSV cell: quoted when it holds a separator, a quote or a line break; a text a spreadsheet
 * would run as a formula (=, +, -, @ first) gets a leading apostrophe.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(log: Log, admin: boolean): string {
  const cells: (string | number | boolean | null | undefined)[] = [
    log.id,
    new Date(log.createdAt * 1000).toISOString(),
    log.type,
    log.username,
    log.tokenName,
    log.model,
    log.channelId,
    log.promptTokens,
    log.completionTokens,
    log.quota,
    log.isStream,
    log.ttftMs,
    log.durationMs,
    log.requestId,
    log.content,
  ];
  if (admin) cells.push(log.other);
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The matching logs, newest first, a batch of rows at a time. */
async function* csvLines(db: Database, filter: LogFilter, admin: boolean): AsyncGenerator<string> {
  yield `${[...COLUMNS, ...(admin ? ['other'] : [])].join(',')}\r\n`;
  let before: number | undefined;
  for (;;) {
    const logs = await db.repos.logs.listBefore(filter, before, BATCH);
    if (logs.length === 0) return;
    yield logs.map((log) => csvRow(log, admin)).join('');
    if (logs.length < BATCH) return;
    before = logs.at(-1)!.id;
  }
}

/**
 * `GET /api/logs.csv?<log.list's filters>`: the logs as a spreadsheet, streamed in batches. The
 * same people and scope as log.list: a signed-in user with a password of their own gets their
 * own logs; admins get everyone's, with the admin-only details.
 */
export function logsCsvRoute(app: FastifyInstance, db: Database): void {
  app.get('/api/logs.csv', async (request, reply) => {
    const { user } = await identify(db, request);
    if (!user) return reply.code(401).send({ error: 'Sign in first.' });
    if (user.status !== UserStatus.enabled || user.mustChangePassword) {
      return reply.code(403).send({ error: 'Not allowed for this account.' });
    }
    const parsed = query.safeParse(request.query);
    if (!parsed.success) {
      return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? 'Bad filter.' });
    }
    const admin = isAdmin(user);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="logs.csv"')
      .header('cache-control', 'no-store')
      .send(Readable.from(csvLines(db, scoped(user, parsed.data), admin)));
  });
}
