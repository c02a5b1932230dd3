import { router } from '../trpc.js';

export const userRouter = router({});
