import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openDatabase,
  readStorageConfig,
  Role,
  sha256Hex,
  type Consumption,
  type Database,
} from '@chat-api/db';
import { createTestDatabase, databaseBackends, type TestDatabase } from '@chat-api/db/testing';
import { BillWriter } from '../src/relay/bill-writer.js';
import { consumptionOf } from '../src/relay/bill.js';
import { quiet } from './harness.js';

/**
 * A forwarder in front of a database server that, once armed, lets a COMMIT through and then
 * hangs up on the client: the server commits, the client never hears it did.
 */
class CommitAnswerCutter {
  armed = false;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<number> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => client.destroy());
      }
      upstream.pipe(client);
      client.on('data', (chunk: Buffer) => {
        if (this.armed && chunk.includes('COMMIT')) {
          this.armed = false;
          client.unpipe();
          upstream.unpipe(client);
          client.destroy();
          // FIN after the COMMIT: the server reads and runs it before it sees the end.
          upstream.end(chunk);
          return;
        }
        upstream.write(chunk);
      });
      client.on('end', () => upstream.end());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

/** host:port in a DSN of either form (URL or Go's user:pass@tcp(host:port)/db). */
const HOST_PORT = /127\.0\.0\.1:(\d+)/;

/**
 * A write whose COMMIT reached the server but whose answer was lost is retried: before
 * request ids were unique and looked up, the retry charged every bill of the batch twice.
 */
describe.each(databaseBackends().filter((backend) => backend.name !== 'sqlite'))(
  'a bill batch whose COMMIT answer is lost, on $name',
  ({ name, skip }) => {
    let testDb: TestDatabase;
    let cutter: CommitAnswerCutter;
    let db: Database;
    let writer: BillWriter;

    beforeAll(async () => {
      if (skip) return;
      testDb = await createTestDatabase(name);
      const port = Number(HOST_PORT.exec(testDb.env.SQL_DSN)?.[1]);
      cutter = new CommitAnswerCutter({ host: '127.0.0.1', port });
      const env = {
        ...testDb.env,
        SQL_DSN: testDb.env.SQL_DSN.replace(HOST_PORT, `127.0.0.1:${await cutter.open()}`),
      };
      db = await openDatabase({ ...readStorageConfig(env), logger: quiet });
      writer = new BillWriter(db, quiet, { delayMs: 10 });
    });
    afterAll(async () => {
      await writer?.close();
      await db?.close();
      await cutter?.close();
      await testDb?.drop();
    });

    it.skipIf(skip).each([
      { keepLog: true, written: 'logs' },
      { keepLog: false, written: 'no logs (LogConsumeEnabled off)' },
    ])('is charged once when retried, with $written', async ({ keepLog }) => {
      const user = await db.repos.users.create({
        username: `lost_commit_${keepLog}`,
        password: 'password-123',
        role: Role.common,
        quota: 1_000_000,
      });
      const { token, key } = await db.repos.tokens.create(user.id, {
        name: 'key',
        unlimitedQuota: false,
        remainQuota: 100_000,
        models: [],
        subnets: [],
        expiredTime: -1,
      });
      const payer = {
        tokenId: token.id,
        keyHash: sha256Hex(key),
        userId: user.id,
        unlimitedQuota: false,
      };
      const bills: Consumption[] = [];
      for (const quota of [100, 200, 300]) {
        const admitted = await db.repos.usage.hold(payer, quota);
        if (!('held' in admitted)) throw new Error(admitted.refusal);
        bills.push(
          consumptionOf({
            payer,
            held: admitted.held,
            remindBelow: 0,
            keepLog,
            token: { name: 'key' },
            owner: { id: user.id, username: user.username },
            channelId: 0,
            model: 'gpt-4o-mini',
            quota,
            usage: { promptTokens: 10, completionTokens: 20 },
            isStream: false,
            ttftMs: 100,
            durationMs: 200,
            requestId: `lost-commit-${name}-${keepLog}-${quota}`,
            other: '{}',
          }),
        );
      }

      cutter.armed = true;
      for (const bill of bills) writer.add(bill);
      await writer.flush();
      expect(cutter.armed).toBe(false);
      // The server committed what the writer believes failed, and keeps for the next try.
      const logs = async () =>
        (await db.repos.logs.list({ userId: user.id, type: 2, page: 1, pageSize: 10 })).items;
      const charged = async () => (await db.repos.tokens.get(token.id))?.usedQuota;
      expect(await logs()).toHaveLength(keepLog ? 3 : 0);
      expect(await charged()).toBe(600);

      await writer.flush();
      if (keepLog) {
        expect((await logs()).map((log) => log.quota).sort()).toEqual([100, 200, 300]);
      } else {
        expect(await logs()).toHaveLength(0);
        expect(await db.models.BilledRequest.count()).toBe(3);
      }
      expect(await db.repos.tokens.get(token.id)).toMatchObject({
        usedQuota: 600,
        remainQuota: 100_000 - 600,
      });
      expect(await db.repos.users.findById(user.id)).toMatchObject({
        usedQuota: 600,
        requestCount: 3,
      });
    });
  },
);
