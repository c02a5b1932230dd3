import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  OPTION_DEFINITIONS,
  isOptionKey,
  isSecretOption,
  optionValueError,
  type OptionKey,
} from '@chat-api/db';
import { canSendMail } from '../account/account-mail.js';
import { notificationSettings } from '../notifications/settings.js';
import { sendTestEmail, TestEmailError } from '../notifications/test-email.js';
import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacters } from './plain-text.js';
import { publicProcedure, rootProcedure, router } from '../trpc.js';

/** What option.list shows instead of a stored credential; sending it back keeps the old value. */
export const MASK = '********';

/** The names of a ratio or price map (models, groups) are names like any other: plain text. */
function mapNameError(key: OptionKey, value: string): string | undefined {
  // Called once optionValueError found the value a JSON object.
  if (OPTION_DEFINITIONS[key].type !== 'json-map') return undefined;
  const names = Object.keys(JSON.parse(value) as Record<string, unknown>);
  const bad = names.find(hasControlCharacters);
  return bad === undefined ? undefined : `${JSON.stringify(bad)}: ${CONTROL_CHARACTERS_MESSAGE}`;
}

export const optionRouter = router({
  /**
   * What the sign-in pages and the API examples need to know, for anyone: never a secret. The
   * proxy's public origin is ServerAddress when the operator set it; otherwise proxyBaseUrl is
   * empty and the browser uses `${location.protocol}//${location.hostname}:${proxyPort}`.
   */
  status: publicProcedure.query(async ({ ctx }) => {
    const options = await ctx.db.repos.options.effective();
    return {
      systemName: options.SystemName,
      notice: options.Notice,
      // auth.register needs both registerEnabled and passwordRegisterEnabled.
      registerEnabled: options.RegisterEnabled === 'true',
      passwordLoginEnabled: options.PasswordLoginEnabled === 'true',
      passwordRegisterEnabled: options.PasswordRegisterEnabled === 'true',
      // Sign-up asks for an emailed code (auth.sendVerificationCode).
      emailVerificationEnabled: options.EmailVerificationEnabled === 'true',
      // Whether auth.requestPasswordReset can email a link.
      passwordResetEnabled: canSendMail(options) && ctx.publicUrl !== undefined,
      // The widget's public key while TurnstileCheckEnabled is on; '' = no check.
      turnstileSiteKey:
        options.TurnstileCheckEnabled === 'true' ? options.TurnstileSiteKey.trim() : '',
      quotaPerUnit: Number(options.QuotaPerUnit),
      displayInCurrency: options.DisplayInCurrencyEnabled === 'true',
      topUpLink: options.TopUpLink,
      // The site's look, as root set it: shown as text and links, never as markup.
      logo: options.Logo,
      footer: options.Footer,
      about: options.About,
      chatLink: options.ChatLink,
      proxyBaseUrl: options.ServerAddress.trim().replace(/\/+$/, ''),
      proxyPort: ctx.proxyPort,
    };
  }),

  /** Every option, defaults included, credentials masked. */
  list: rootProcedure.query(async ({ ctx }) => {
    const options = await ctx.db.repos.options.effective();
    return Object.fromEntries(
      Object.entries(options).map(([key, value]) => [
        key,
        isSecretOption(key) && value !== '' ? MASK : value,
      ]),
    );
  }),

  /** Validates every value first, then writes all or none; every node sees it within 1 s. */
  update: rootProcedure
    .input(z.object({ values: z.record(z.string().max(64), z.string()) }))
    .mutation(async ({ ctx, input }) => {
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(input.values)) {
        if (!isOptionKey(key)) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: `${key}: unknown option` });
        }
        if (isSecretOption(key) && value === MASK) continue;
        const error = optionValueError(key, value) ?? mapNameError(key, value);
        if (error) throw new TRPCError({ code: 'BAD_REQUEST', message: `${key}: ${error}` });
        values[key] = value;
      }
      await ctx.db.repos.options.setMany(values);
      return { ok: true };
    }),

  /**
   * Sends a test email now with the saved SMTP settings: to `to`, else NotificationEmail, else
   * the caller's own email. A missing setting is BAD_REQUEST; the SMTP server's refusal (or
   * silence) is BAD_GATEWAY with its reason.
   */
  testEmail: rootProcedure
    .input(z.object({ to: z.email().max(254).optional() }))
    .mutation(async ({ ctx, input }) => {
      const settings = notificationSettings(await ctx.db.repos.options.effective());
      const to = input.to ?? (settings.adminEmail || ctx.user.email.trim());
      try {
        await sendTestEmail(settings, to);
      } catch (error) {
        if (!(error instanceof TestEmailError)) throw error;
        const code = error.kind === 'settings' ? 'BAD_REQUEST' : 'BAD_GATEWAY';
        throw new TRPCError({ code, message: error.message });
      }
      return { ok: true, to };
    }),
});
