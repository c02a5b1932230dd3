import { router } from '../trpc.js';

export const channelRouter = router({});
