import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../../../src/server/router.ts';

/** What the console API answers and accepts, for the admin pages' own types. */
export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;

export type Channel = Outputs['channel']['list']['items'][number];
export type ChannelType = Outputs['channel']['types'][number];
export type ChannelJobs = Outputs['channel']['jobs'];
export type User = Outputs['user']['list']['items'][number];
export type Redemption = Outputs['redemption']['list']['items'][number];
export type Log = Outputs['log']['list']['items'][number];
