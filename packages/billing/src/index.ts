export { DEFAULT_QUOTA_PER_UNIT, quotaFor, type Price, type Usage } from './pricing.js';
export {
  effectiveTokenStatus,
  tokenExpiresAt,
  tokenProblem,
  type TokenLimits,
  type TokenProblem,
} from './token-validity.js';
