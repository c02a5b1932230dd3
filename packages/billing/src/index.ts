export { DEFAULT_QUOTA_PER_UNIT, quotaFor, type Price, type Usage } from './pricing.js';
export { PriceBook, type PriceOptions } from './price-book.js';
export {
  DEFAULT_COMPLETION_RATIO,
  DEFAULT_MODEL_PRICE,
  DEFAULT_MODEL_RATIO,
} from './default-prices.js';
export {
  effectiveTokenStatus,
  tokenExpiresAt,
  tokenProblem,
  type TokenLimits,
  type TokenProblem,
} from './token-validity.js';
