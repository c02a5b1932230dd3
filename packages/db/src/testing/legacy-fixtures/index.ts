export {
  buildLegacyDatabase,
  buildNewApiDatabase,
  buildOneApiDatabase,
  type LegacyFixture,
} from './build.js';
export {
  LEGACY_CLIENT_KEYS,
  LEGACY_PASSWORDS,
  LEGACY_REDEMPTION_CODES,
  LEGACY_STORED_KEYS,
  LEGACY_TOKEN_NAMES,
  legacyPasswordHashes,
  type LegacyTokenName,
  type LegacyUsername,
} from './data.js';
export { LEGACY_SCHEMAS } from './schemas.js';
