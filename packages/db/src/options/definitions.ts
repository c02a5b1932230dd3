import {
  DEFAULT_CACHE_RATIO,
  DEFAULT_COMPLETION_RATIO,
  DEFAULT_CREATE_CACHE_RATIO,
  DEFAULT_MODEL_PRICE,
  DEFAULT_MODEL_RATIO,
} from '@chat-api/billing';

/**
 * Every setting an operator can change in the console, with One API's key names, the type its
 * string value must parse as, and the value used until it is changed.
 */
export type OptionType = 'boolean' | 'integer' | 'number' | 'string' | 'json-map' | 'lines';

export interface OptionDefinition {
  type: OptionType;
  default: string;
  /** integer / number lower bound. */
  min?: number;
  /** json-map whose names must be whole numbers ≥ 1 (thresholds). */
  integerKeys?: boolean;
}

const bool = (value: boolean): OptionDefinition => ({ type: 'boolean', default: String(value) });
const int = (value: number, min = 0): OptionDefinition => ({
  type: 'integer',
  default: String(value),
  min,
});
const num = (value: number, min = 0): OptionDefinition => ({
  type: 'number',
  default: String(value),
  min,
});
const text = (value = ''): OptionDefinition => ({ type: 'string', default: value });
const map = (value: Record<string, number> = {}): OptionDefinition => ({
  type: 'json-map',
  default: JSON.stringify(value),
});

export const OPTION_DEFINITIONS = {
  // Sign-in and registration
  RegisterEnabled: bool(true),
  PasswordRegisterEnabled: bool(true),
  PasswordLoginEnabled: bool(true),
  QuotaForNewUser: int(0),
  QuotaForInviter: int(0),
  QuotaForInvitee: int(0),
  /** Sign-up asks for a code emailed to the address (SMTP options below). */
  EmailVerificationEnabled: bool(false),
  /** Sign-up only with an address at one of EmailDomainWhitelist's domains. */
  EmailDomainRestrictionEnabled: bool(false),
  EmailDomainWhitelist: {
    type: 'lines',
    default: [
      'gmail.com',
      'outlook.com',
      'hotmail.com',
      'icloud.com',
      'yahoo.com',
      'qq.com',
      'foxmail.com',
      '163.com',
      '126.com',
    ].join('\n'),
  } satisfies OptionDefinition,
  /** Cloudflare Turnstile on sign-up, sign-in and password reset. */
  TurnstileCheckEnabled: bool(false),
  TurnstileSiteKey: text(),
  TurnstileSecretKey: text(),
  // Billing (DESIGN §6)
  QuotaPerUnit: num(500_000, 1),
  PreConsumedQuota: int(500),
  QuotaRemindThreshold: int(1000),
  ModelRatio: map(DEFAULT_MODEL_RATIO),
  CompletionRatio: map(DEFAULT_COMPLETION_RATIO),
  GroupRatio: map({ default: 1, vip: 1, svip: 1 }),
  ModelPrice: map(DEFAULT_MODEL_PRICE),
  CacheRatio: map(DEFAULT_CACHE_RATIO),
  CreateCacheRatio: map(DEFAULT_CREATE_CACHE_RATIO),
  DisplayInCurrencyEnabled: bool(true),
  LogConsumeEnabled: bool(true),
  /** Days of consume logs the master keeps; older ones are pruned hourly. 0 = keep them all. */
  LogRetentionDays: int(0),
  // Relay
  RetryTimes: int(2),
  AutomaticDisableChannelEnabled: bool(true),
  AutomaticEnableChannelEnabled: bool(true),
  AutomaticDisableKeywords: { type: 'lines', default: '' } satisfies OptionDefinition,
  ChannelDisableThreshold: num(5),
  // Site
  SystemName: text('Chat API'),
  Logo: text(),
  Notice: text(),
  About: text(),
  Footer: text(),
  TopUpLink: text(),
  ChatLink: text(),
  ServerAddress: text(),
  // Third-party sign-in (One API's names): GitHub OAuth and a generic OpenID Connect provider
  GitHubOAuthEnabled: bool(false),
  GitHubClientId: text(),
  GitHubClientSecret: text(),
  OidcEnabled: bool(false),
  /** The sign-in button's label: "Sign in with <OidcDisplayName>". */
  OidcDisplayName: text('OIDC'),
  /** The provider's discovery document, e.g. https://id.example.com/.well-known/openid-configuration */
  OidcWellKnown: text(),
  OidcClientId: text(),
  OidcClientSecret: text(),
  // Notifications (channel disabled / re-enabled, quota low): email by SMTP, a signed webhook
  SMTPServer: text(),
  SMTPPort: int(587, 1),
  SMTPSSLEnabled: bool(false),
  SMTPAccount: text(),
  SMTPFrom: text(),
  SMTPToken: text(),
  /** Where channel notices are emailed; empty → the root user's email. */
  NotificationEmail: text(),
  NotificationWebhookUrl: text(),
  NotificationWebhookSecret: text(),
  // Top-up (Stripe): one unit is QuotaPerUnit quota ($1 of quota), sold at StripeUnitPrice
  StripeApiSecret: text(),
  StripeWebhookSecret: text(),
  StripeCurrency: text('usd'),
  StripeUnitPrice: num(1),
  StripeMinTopUp: int(1, 1),
  /** Units threshold → bonus percent; the highest threshold ≤ the units bought applies. */
  TopUpBonusTiers: { ...map(), integerKeys: true } satisfies OptionDefinition,
} satisfies Record<string, OptionDefinition>;

export type OptionKey = keyof typeof OPTION_DEFINITIONS;

export function isOptionKey(key: string): key is OptionKey {
  return Object.hasOwn(OPTION_DEFINITIONS, key);
}

/** Why the value cannot be stored under the key, or undefined when it can. */
export function optionValueError(key: OptionKey, value: string): string | undefined {
  const definition: OptionDefinition = OPTION_DEFINITIONS[key];
  switch (definition.type) {
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : 'expected true or false';
    case 'integer':
    case 'number': {
      const parsed = Number(value);
      if (value.trim() === '' || !Number.isFinite(parsed)) return 'expected a number';
      if (definition.type === 'integer' && !Number.isInteger(parsed)) return 'expected an integer';
      if (definition.min !== undefined && parsed < definition.min)
        return `expected at least ${definition.min}`;
      return undefined;
    }
    case 'json-map':
      return jsonMapError(value, definition.integerKeys === true);
    default:
      return value.length > 1_000_000 ? 'too long' : undefined;
  }
}

function jsonMapError(value: string, integerKeys: boolean): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    return `invalid JSON (${(error as Error).message})`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'expected a JSON object of name → number';
  }
  for (const [name, ratio] of Object.entries(parsed)) {
    if (integerKeys && !/^[1-9][0-9]{0,8}$/.test(name))
      return `"${name}" must be a whole number ≥ 1`;
    if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0) {
      return `"${name}" must map to a number ≥ 0`;
    }
  }
  return undefined;
}

/** Keys holding credentials: shown masked by option.list (a word of the key, not a substring). */
export function isSecretOption(key: string): boolean {
  // Switches such as PasswordLoginEnabled name a credential but hold none.
  if (isOptionKey(key) && OPTION_DEFINITIONS[key].type === 'boolean') return false;
  // Published in every sign-in page; its secret counterpart is TurnstileSecretKey.
  if (key === 'TurnstileSiteKey') return false;
  const words = key.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [];
  return words.some((word) => ['Secret', 'Token', 'Key', 'Password'].includes(word));
}

/** Stored values over the defaults. */
export function withDefaults(
  stored: Record<string, string>,
): Record<OptionKey, string> & Record<string, string> {
  const defaults = Object.fromEntries(
    Object.entries(OPTION_DEFINITIONS).map(([key, definition]) => [key, definition.default]),
  ) as Record<OptionKey, string>;
  return { ...defaults, ...stored };
}
