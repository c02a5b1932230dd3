export { DEFAULT_QUOTA_PER_UNIT, quotaFor, type Price, type Usage } from './pricing.js';
