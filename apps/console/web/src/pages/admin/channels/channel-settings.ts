/**
 * A channel type's settings (`config`) as channelConfigSchema checks them on the server: each
 * is required and trimmed; names that go into an upstream URL (project, region) hold only URL-safe
 * characters. Checked here first so the form can point at the field.
 */
export type SettingProblem = 'required' | 'tooLong' | 'characters';

export const SETTING_MAX_LENGTH = 64;

/** Settings that become part of the upstream's address. */
const URL_SEGMENTS = new Set(['project', 'region']);

export function settingProblem(name: string, value: string): SettingProblem | undefined {
  const trimmed = value.trim();
  if (!trimmed) return 'required';
  if (trimmed.length > SETTING_MAX_LENGTH) return 'tooLong';
  if (URL_SEGMENTS.has(name) && !/^[A-Za-z0-9._-]+$/.test(trimmed)) return 'characters';
  return undefined;
}

/** The problem of each of the type's settings that has one. */
export function settingProblems(
  config: Record<string, string>,
  configFields: readonly string[],
): Record<string, SettingProblem> {
  return Object.fromEntries(
    configFields.flatMap((name) => {
      const problem = settingProblem(name, config[name] ?? '');
      return problem ? [[name, problem] as const] : [];
    }),
  );
}
