import type { FastifyInstance } from 'fastify';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { createTestDatabase, type DatabaseBackend, type TestDatabase } from '@chat-api/db/testing';
import { build } from '../src/server/app.js';
import type { FakeProvider } from './oauth-fake-provider.js';
import { client, type TestConsole } from './helpers.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A console node whose GitHub is the fake provider, laid out as a GitHub Enterprise Server. */
async function listen(db: Database, provider: FakeProvider): Promise<FastifyInstance> {
  const app = await build({
    db,
    sessionSecret: 'test-secret',
    timeZone: 'UTC',
    limits: { apiPer3Minutes: 1e6, webPer3Minutes: 1e6, authAttemptsPerMinute: 1e6 },
    github: { baseUrl: provider.base, apiUrl: `${provider.base}/api/v3` },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

const origin = (app: FastifyInstance) => {
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

/**
 * `nodes` console processes over one fresh database (and Redis when given), as several console
 * machines behind a load balancer share it.
 */
export async function startOAuthConsoles(
  provider: FakeProvider,
  options: { backend?: DatabaseBackend; redisUrl?: string; nodes?: number } = {},
): Promise<TestConsole[]> {
  const testDb: TestDatabase = await createTestDatabase(options.backend ?? 'sqlite');
  const env = {
    ...testDb.env,
    ...(options.redisUrl ? { REDIS_CONN_STRING: options.redisUrl } : {}),
  };
  const nodes: { app: FastifyInstance; db: Database }[] = [];
  for (let i = 0; i < (options.nodes ?? 1); i++) {
    const db = await openDatabase({ ...readStorageConfig(env), logger: quiet });
    nodes.push({ app: await listen(db, provider), db });
  }
  let open = nodes.length;
  return nodes.map(({ app, db }) => ({
    base: origin(app),
    db,
    close: async () => {
      await app.close();
      await db.close();
      if (--open === 0) await testDb.drop();
    },
  }));
}

export async function startOAuthConsole(
  provider: FakeProvider,
  options: { backend?: DatabaseBackend } = {},
): Promise<TestConsole> {
  const [node] = await startOAuthConsoles(provider, options);
  return node!;
}

/** Where a navigation ended: the URL of the page the browser shows, and the hops it took. */
export interface Landing {
  url: URL;
  status: number;
  hops: URL[];
}

/**
 * A browser: one cookie jar (shared with its tRPC client), following redirects by hand as a
 * browser does, so each hop's Set-Cookie is kept and sent on.
 */
export class Browser {
  readonly session: ReturnType<typeof client>;

  constructor(readonly base: string) {
    this.session = client(base);
  }

  get api() {
    return this.session.api;
  }

  get jar() {
    return this.session.jar;
  }

  /** One request, cookies sent to the console's own origin only. */
  async request(url: URL): Promise<Response> {
    const jar = this.jar;
    const own = url.origin === new URL(this.base).origin;
    const response = await fetch(url, {
      redirect: 'manual',
      headers: own && jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
    });
    if (own) {
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(';');
        const [name, ...value] = pair!.split('=');
        if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(header)) jar.delete(name!);
        else jar.set(name!, value.join('='));
      }
    }
    return response;
  }

  /** Follows Location headers until a page answers, or `stopAt` matches a URL about to be opened. */
  async navigate(target: string | URL, stopAt?: (url: URL) => boolean): Promise<Landing> {
    let url = new URL(target, this.base);
    const hops: URL[] = [];
    for (let i = 0; i < 10; i++) {
      if (stopAt?.(url)) return { url, status: 0, hops };
      hops.push(url);
      const response = await this.request(url);
      await response.arrayBuffer();
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url, status: response.status, hops };
      }
      url = new URL(location, url);
    }
    throw new Error(`too many redirects: ${hops.map(String).join(' → ')}`);
  }

  /** Sign-in (or binding) through the provider, from the console's start URL to the result page. */
  signInWith(provider: 'github' | 'oidc', mode: 'login' | 'bind' = 'login'): Promise<Landing> {
    return this.navigate(`/api/oauth/${provider}/start?mode=${mode}`);
  }
}

/** The outcome a console page shows: its path and the oauth / oauth_error it was given. */
export function outcome(landing: Landing) {
  return {
    path: landing.url.pathname,
    error: landing.url.searchParams.get('oauth_error'),
    result: landing.url.searchParams.get('oauth'),
  };
}
