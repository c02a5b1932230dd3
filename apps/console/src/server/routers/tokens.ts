import { router } from '../trpc.js';

export const tokenRouter = router({});
