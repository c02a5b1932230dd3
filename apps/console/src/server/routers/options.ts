import { router } from '../trpc.js';

export const optionRouter = router({});
