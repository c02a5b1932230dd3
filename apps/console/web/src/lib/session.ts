import { createResource } from 'solid-js';
import { TRPCClientError } from '@trpc/client';
import { api } from './trpc.ts';

async function fetchMe() {
  try {
    return await api.auth.me.query();
  } catch (error) {
    if (error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED') return null;
    throw error;
  }
}

/** The signed-in user (null when signed out), shared by every page. */
export const [me, { refetch: refreshMe, mutate: setMe }] = createResource(fetchMe);

export type Me = NonNullable<Awaited<ReturnType<typeof fetchMe>>>;
