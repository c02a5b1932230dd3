import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogType, type NewLog } from '@chat-api/db';
import { csvCell } from '../src/server/routes/logs-csv.js';
import { signedInUser, startConsole, type TestConsole } from './helpers.js';

type Session = Awaited<ReturnType<typeof signedInUser>>;

const T0 = 1_700_000_000;

/** A minimal CSV reader for the test: quoted cells with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('GET /api/logs.csv', () => {
  let server: TestConsole;
  let alice: Session;
  let bob: Session;
  let admin: Session;

  beforeAll(async () => {
    server = await startConsole();
    alice = await signedInUser(server);
    bob = await signedInUser(server);
    admin = await signedInUser(server, { role: 10 });
    const log = (user: Session, i: number, extra: Partial<NewLog> = {}): NewLog => ({
      userId: user.user.id,
      username: user.user.username,
      type: LogType.consume,
      createdAt: T0 + i,
      model: 'gpt-4o',
      tokenName: 'ci',
      quota: 10 + i,
      requestId: `req-${user.user.id}-${i}`,
      other: '{"modelRatio":1.25}',
      ...extra,
    });
    await server.db.repos.logs.insertMany([
      // More than one batch of the export.
      ...Array.from({ length: 2100 }, (_, i) => log(alice, i)),
      log(alice, 5000, { tokenName: '=HYPERLINK("http://evil")', content: 'a, "quoted"\nline' }),
      ...Array.from({ length: 3 }, (_, i) => log(bob, i)),
    ]);
  });
  afterAll(() => server?.close());

  async function exportAs(session: Session | undefined, query = '') {
    const cookie = session ? [...session.jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
    const response = await fetch(`${server.base}/api/logs.csv${query}`, {
      headers: cookie ? { cookie } : {},
    });
    return { response, rows: parseCsv(await response.text()) };
  }

  it("gives a user every one of their own logs, newest first, and nobody else's", async () => {
    const { response, rows } = await exportAs(alice);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const [header, ...data] = rows;
    expect(header).not.toContain('other');
    expect(data).toHaveLength(2101);
    const ids = data.map((row) => Number(row[0]));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(data.map((row) => row[3]))).toEqual(new Set([alice.user.username]));
    // Bob asking for Alice's logs still gets his own.
    const asBob = await exportAs(bob, `?username=${alice.user.username}`);
    expect(asBob.rows.slice(1).map((row) => row[3])).toEqual(Array(3).fill(bob.user.username));
  });

  it('writes awkward text so spreadsheets read it as text', async () => {
    const { rows } = await exportAs(alice);
    const [header, newest] = rows;
    expect(newest![header!.indexOf('token')]).toBe(`'=HYPERLINK("http://evil")`);
    expect(newest![header!.indexOf('content')]).toBe('a, "quoted"\nline');
    expect(csvCell('-1+2')).toBe(`'-1+2`);
    expect(csvCell(-3)).toBe('-3');
  });

  it("gives an admin everyone's logs with the admin details, filtered as log.list filters", async () => {
    const all = await exportAs(admin);
    expect(all.rows[0]).toContain('other');
    expect(all.rows).toHaveLength(1 + 2101 + 3);
    const bobs = await exportAs(admin, `?username=${bob.user.username}&from=${T0 + 1}`);
    expect(bobs.rows.slice(1).map((row) => row[0])).toHaveLength(2);
    expect(bobs.rows[1]![bobs.rows[0]!.indexOf('other')]).toBe('{"modelRatio":1.25}');
  });

  it('refuses an anonymous caller and a bad filter', async () => {
    expect((await exportAs(undefined)).response.status).toBe(401);
    expect((await exportAs(alice, '?type=zero')).response.status).toBe(400);
  });
});
