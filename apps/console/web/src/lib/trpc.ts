import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '../../../src/server/router.ts';
import { common } from './i18n.ts';

let sessionEnded: () => void = () => undefined;

/** Called when a call finds the session gone (expired, or signed out elsewhere). */
export function onSessionEnded(callback: () => void): void {
  sessionEnded = callback;
}

/** Answers of "sign in first" end the session everywhere; a failed sign-in is only an answer. */
const sessionLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) =>
      next(op).subscribe({
        next: (value) => observer.next(value),
        error: (error) => {
          const signingIn = op.path === 'auth.login' || op.path === 'auth.me';
          if (!signingIn && error.data?.code === 'UNAUTHORIZED') sessionEnded();
          observer.error(error);
        },
        complete: () => observer.complete(),
      }),
    );

/** The typed console API; the session travels in the httpOnly cookie. */
export const api = createTRPCClient<AppRouter>({
  links: [
    sessionLink,
    httpBatchLink({
      url: '/trpc',
      fetch: (url, init) => fetch(url, { ...init, credentials: 'same-origin' }),
    }),
  ],
});

/** A message a person can read, from whatever a call threw. */
export function errorMessage(error: unknown): string {
  // The server's own errors carry `data`; without it the request never got a tRPC answer.
  if (error instanceof TRPCClientError && error.data) return error.message;
  if (error instanceof Error) return common().unreachable(error.message);
  return String(error);
}
