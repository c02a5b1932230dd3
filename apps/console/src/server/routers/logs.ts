import { router } from '../trpc.js';

export const logRouter = router({});
