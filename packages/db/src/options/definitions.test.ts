import { describe, expect, it } from 'vitest';
import { isSecretOption, optionValueError, withDefaults } from './definitions.js';

describe('option definitions', () => {
  it.each([
    ['RegisterEnabled', 'true', undefined],
    ['RegisterEnabled', 'yes', 'expected true or false'],
    ['RetryTimes', '3', undefined],
    ['RetryTimes', '-1', 'expected at least 0'],
    ['RetryTimes', '1.5', 'expected an integer'],
    ['QuotaPerUnit', '0', 'expected at least 1'],
    ['ModelRatio', '{"gpt-4o":1.25,"o3":1}', undefined],
    ['ModelRatio', '{"gpt-4o":', expect.stringMatching(/^invalid JSON/)],
    ['ModelRatio', '[1,2]', 'expected a JSON object of name → number'],
    ['GroupRatio', '{"vip":"2"}', '"vip" must map to a number ≥ 0'],
    ['ModelPrice', '{"dall-e-3":-0.04}', '"dall-e-3" must map to a number ≥ 0'],
    ['CreateCacheRatio', '{"claude-opus-5-5":1.25}', undefined],
    [
      'CreateCacheRatio',
      '{"claude-opus-5-5":"1.25"}',
      '"claude-opus-5-5" must map to a number ≥ 0',
    ],
    ['Notice', '维护通知 🛠', undefined],
  ] as const)('%s = %s', (key, value, expected) => {
    expect(optionValueError(key, value)).toEqual(expected);
  });

  it('masks credential keys by word, not by substring', () => {
    expect(isSecretOption('GitHubClientSecret')).toBe(true);
    expect(isSecretOption('SMTPToken')).toBe(true);
    expect(isSecretOption('TurnstileSecretKey')).toBe(true);
    expect(isSecretOption('TurnstileSiteKey')).toBe(false);
    expect(isSecretOption('SMTPPassword')).toBe(true);
    expect(isSecretOption('AutomaticDisableKeywords')).toBe(false);
    expect(isSecretOption('QuotaRemindThreshold')).toBe(false);
  });

  it('fills unset options with defaults and keeps stored values, "0" and "" included', () => {
    const options = withDefaults({ RetryTimes: '0', Notice: '' });
    expect(options.RetryTimes).toBe('0');
    expect(options.Notice).toBe('');
    expect(options.QuotaPerUnit).toBe('500000');
  });

  it('ships the Claude cache-write prices as the CreateCacheRatio default', () => {
    const written = JSON.parse(withDefaults({}).CreateCacheRatio) as Record<string, number>;
    expect(written).toMatchObject({ 'claude-opus-5-5': 1.25, 'claude-haiku-4-5-20251001': 1.25 });
    expect(written['gpt-4o']).toBeUndefined();
  });
});
