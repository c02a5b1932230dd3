import { router } from '../trpc.js';

export const redemptionRouter = router({});
