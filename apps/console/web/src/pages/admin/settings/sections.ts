import { parseDecimal, parseInteger } from '../components/format.ts';
import { adminWords } from '../components/messages.ts';

/** `secret`: a credential, shown masked by option.list and typed into a password box. */
export type FieldKind = 'switch' | 'integer' | 'number' | 'text' | 'textarea' | 'lines' | 'secret';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  min?: number;
  /** A quota amount: shown with its dollar value. */
  quota?: boolean;
}

export type SectionId =
  'prices' | 'login' | 'relay' | 'notifications' | 'site' | 'topUp' | 'thirdParty' | 'other';

/** The price maps, edited as tables (JSON text on the wire). */
export const PRICE_MAPS = [
  'ModelRatio',
  'CompletionRatio',
  'GroupRatio',
  'ModelPrice',
  'CacheRatio',
  'CreateCacheRatio',
] as const;

export const PRICE_FIELDS: FieldSpec[] = [
  { key: 'QuotaPerUnit', kind: 'number', min: 1 },
  { key: 'PreConsumedQuota', kind: 'integer', min: 0, quota: true },
];

/** Email (SMTP) and webhook for channel and quota notices; its section has a test button. */
export const NOTIFICATION_FIELDS: FieldSpec[] = [
  { key: 'SMTPServer', kind: 'text' },
  { key: 'SMTPPort', kind: 'integer', min: 1 },
  { key: 'SMTPSSLEnabled', kind: 'switch' },
  { key: 'SMTPAccount', kind: 'text' },
  { key: 'SMTPToken', kind: 'secret' },
  { key: 'SMTPFrom', kind: 'text' },
  { key: 'NotificationEmail', kind: 'text' },
  { key: 'NotificationWebhookUrl', kind: 'text' },
  { key: 'NotificationWebhookSecret', kind: 'secret' },
];

/** GitHub and OpenID Connect sign-in; its section also shows the callback URLs to register. */
export const THIRD_PARTY_FIELDS: FieldSpec[] = [
  { key: 'GitHubOAuthEnabled', kind: 'switch' },
  { key: 'GitHubClientId', kind: 'text' },
  { key: 'GitHubClientSecret', kind: 'secret' },
  { key: 'OidcEnabled', kind: 'switch' },
  { key: 'OidcDisplayName', kind: 'text' },
  { key: 'OidcWellKnown', kind: 'text' },
  { key: 'OidcClientId', kind: 'text' },
  { key: 'OidcClientSecret', kind: 'secret' },
];

/** The plain sections (every field a single option), in page order. */
export const FIELD_SECTIONS: {
  id: Exclude<SectionId, 'prices' | 'notifications' | 'thirdParty' | 'other'>;
  fields: FieldSpec[];
}[] = [
  {
    id: 'login',
    fields: [
      { key: 'PasswordLoginEnabled', kind: 'switch' },
      { key: 'RegisterEnabled', kind: 'switch' },
      { key: 'PasswordRegisterEnabled', kind: 'switch' },
      { key: 'QuotaForNewUser', kind: 'integer', min: 0, quota: true },
      { key: 'QuotaForInviter', kind: 'integer', min: 0, quota: true },
      { key: 'QuotaForInvitee', kind: 'integer', min: 0, quota: true },
      { key: 'EmailVerificationEnabled', kind: 'switch' },
      { key: 'EmailDomainRestrictionEnabled', kind: 'switch' },
      { key: 'EmailDomainWhitelist', kind: 'lines' },
      { key: 'TurnstileCheckEnabled', kind: 'switch' },
      { key: 'TurnstileSiteKey', kind: 'text' },
      { key: 'TurnstileSecretKey', kind: 'secret' },
    ],
  },
  {
    id: 'relay',
    fields: [
      { key: 'RetryTimes', kind: 'integer', min: 0 },
      { key: 'AutomaticDisableChannelEnabled', kind: 'switch' },
      { key: 'AutomaticEnableChannelEnabled', kind: 'switch' },
      { key: 'AutomaticDisableKeywords', kind: 'lines' },
      { key: 'ChannelDisableThreshold', kind: 'number', min: 0 },
      { key: 'QuotaRemindThreshold', kind: 'integer', min: 0, quota: true },
      { key: 'LogConsumeEnabled', kind: 'switch' },
      { key: 'LogRetentionDays', kind: 'integer', min: 0 },
    ],
  },
  {
    id: 'site',
    fields: [
      { key: 'SystemName', kind: 'text' },
      { key: 'Notice', kind: 'textarea' },
      { key: 'ServerAddress', kind: 'text' },
      { key: 'DisplayInCurrencyEnabled', kind: 'switch' },
      { key: 'Logo', kind: 'text' },
      { key: 'TopUpLink', kind: 'text' },
      { key: 'ChatLink', kind: 'text' },
      { key: 'About', kind: 'textarea' },
      { key: 'Footer', kind: 'textarea' },
    ],
  },
  {
    id: 'topUp',
    fields: [
      { key: 'StripeApiSecret', kind: 'secret' },
      { key: 'StripeWebhookSecret', kind: 'secret' },
      { key: 'StripeCurrency', kind: 'text' },
      { key: 'StripeUnitPrice', kind: 'number', min: 0 },
      { key: 'StripeMinTopUp', kind: 'integer', min: 1 },
      { key: 'TopUpBonusTiers', kind: 'textarea' },
    ],
  },
];

const KNOWN = new Set<string>([
  ...PRICE_MAPS,
  ...PRICE_FIELDS.map((field) => field.key),
  ...NOTIFICATION_FIELDS.map((field) => field.key),
  ...THIRD_PARTY_FIELDS.map((field) => field.key),
  ...FIELD_SECTIONS.flatMap((section) => section.fields.map((field) => field.key)),
]);

/** Options the server has that no section above edits: shown as plain text fields. */
export function otherFields(values: Record<string, string>): FieldSpec[] {
  return Object.keys(values)
    .filter((key) => !KNOWN.has(key))
    .sort()
    .map((key) => ({ key, kind: 'text' }));
}

/** Why the field's text cannot be saved, or undefined (the server checks again). */
export function fieldError(spec: FieldSpec, value: string): string | undefined {
  const words = adminWords();
  if (spec.kind === 'integer' || spec.kind === 'number') {
    const parsed = spec.kind === 'integer' ? parseInteger(value) : parseDecimal(value);
    if (parsed === undefined) {
      return spec.kind === 'integer' ? words.mustBeWhole : words.mustBeNumber;
    }
    if (spec.min !== undefined && parsed < spec.min) return words.atLeast(spec.min);
  }
  return undefined;
}
