import { createResource } from 'solid-js';
import { TRPCClientError } from '@trpc/client';
import { api, onSessionEnded } from './trpc.ts';

async function fetchMe() {
  try {
    return await api.auth.me.query();
  } catch (error) {
    if (error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED') return null;
    throw error;
  }
}

/**
 * The signed-in user (null when signed out), shared by every page. `refreshMe` reloads it in the
 * background: pages keep showing while it runs, and a failure shows in RequireSignIn.
 */
export const [me, { refetch: refreshMe, mutate: setMe }] = createResource(fetchMe);

// A call that finds the session gone signs the page out; RequireSignIn then shows the login.
onSessionEnded(() => setMe(null));

export type Me = NonNullable<Awaited<ReturnType<typeof fetchMe>>>;

/** The user as last loaded, or undefined while unknown or failed; unlike `me()`, never throws. */
export function currentUser(): Me | undefined {
  if (me.error !== undefined) return undefined;
  return me.state === 'ready' || me.state === 'refreshing' ? (me.latest ?? undefined) : undefined;
}
