import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '@chat-api/console';

/** A tRPC client that keeps the session cookie, like a browser. */
export function browserClient(consoleUrl: string): TRPCClient<AppRouter> {
  let cookie = '';
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${consoleUrl}/trpc`,
        headers: () => (cookie ? { cookie } : {}),
        fetch: async (url, init) => {
          const response = await fetch(url, init);
          cookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? cookie;
          return response;
        },
      }),
    ],
  });
}
