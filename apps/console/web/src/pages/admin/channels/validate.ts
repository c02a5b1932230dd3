import { common } from '../../../lib/i18n.ts';
import { parseInteger } from '../components/format.ts';
import { adminWords } from '../components/messages.ts';
import type { Channel, ChannelType } from '../components/api-types.ts';
import { movesChannel } from './channel-address.ts';
import { bedrockKeyProblem, readServiceAccountKey } from './channel-keys.ts';
import { SETTING_MAX_LENGTH, settingProblems } from './channel-settings.ts';
import { mappingErrors, type MappingRow } from './mapping-editor.tsx';
import { channelText } from './messages.ts';

export interface ChannelDraft {
  name: string;
  type: string;
  baseUrl: string;
  key: string;
  models: string[];
  groups: string[];
  mapping: MappingRow[];
  priority: string;
  weight: string;
  config: Record<string, string>;
}

export type DraftErrors = Partial<
  Record<Exclude<keyof ChannelDraft, 'mapping' | 'config'>, string>
> & {
  mapping?: (string | undefined)[];
  /** By setting name. */
  config?: Record<string, string>;
};

export function keyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

function baseUrlError(value: string, required: boolean): string | undefined {
  const url = value.trim();
  if (!url) return required ? channelText().baseUrlRequired : undefined;
  if (!URL.canParse(url)) return channelText().baseUrlInvalid;
  const parsed = new URL(url);
  if (!['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
    return channelText().baseUrlInvalid;
  }
  if (/\/v1\/*$/.test(url)) return channelText().baseUrlNoV1;
  return undefined;
}

/** Why the entered key cannot work for the type (its shape; the upstream judges the rest). */
function keyShapeError(type: string, text: string): string | undefined {
  const t = channelText();
  if (type === 'vertex-ai') {
    const read = readServiceAccountKey(text);
    if ('problem' in read) return read.problem === 'json' ? t.keyNotJson : t.keyNotServiceAccount;
  }
  if (type === 'aws-bedrock') {
    const lines = text.split(/\r?\n/);
    for (const [index, line] of lines.entries()) {
      const problem = line.trim() ? bedrockKeyProblem(line) : undefined;
      if (problem) return t.onLine(index + 1, t.bedrockKeyProblems[problem]);
    }
  }
  return undefined;
}

/** The type's settings' problems, as messages by setting name. */
function settingErrors(draft: ChannelDraft, configFields: readonly string[]) {
  const t = channelText();
  const problems = settingProblems(draft.config, configFields);
  return Object.fromEntries(
    Object.entries(problems).map(([name, problem]) => {
      const label = t.settingLabels[name] ?? name;
      const message =
        problem === 'required'
          ? t.settingRequired(label)
          : problem === 'tooLong'
            ? t.settingTooLong(SETTING_MAX_LENGTH)
            : t.settingCharacters;
      return [name, message];
    }),
  );
}

/** The same rules channel.create/update apply, checked before sending. */
export function validateDraft(
  draft: ChannelDraft,
  spec: ChannelType | undefined,
  /** The stored channel when editing, and whether the editor may move it without its key. */
  editing?: { channel: Channel; keyNeededToMove: boolean },
): DraftErrors {
  const t = channelText();
  const words = adminWords();
  const errors: DraftErrors = {};
  if (!draft.name.trim()) errors.name = common().required;
  else if (draft.name.trim().length > 128) errors.name = words.tooLong(128);
  if (!spec) errors.type = common().required;
  const url = baseUrlError(draft.baseUrl, spec?.baseUrlRequired ?? false);
  if (url) errors.baseUrl = url;
  const type = spec?.type ?? draft.type;
  // A service account key file spans lines; the form sends it as one.
  const multiLineKey = type === 'vertex-ai';
  if (editing) {
    if (!multiLineKey && /[\r\n]/.test(draft.key.trim())) errors.key = t.keyOneLine;
    else if (
      !draft.key.trim() &&
      editing.keyNeededToMove &&
      movesChannel(editing.channel, draft, spec?.configFields ?? [])
    ) {
      errors.key = t.keyToMove;
    }
  } else if (keyLines(draft.key).length === 0) {
    errors.key = t.keysRequired;
  }
  if (!errors.key && draft.key.trim()) {
    const shape = keyShapeError(type, draft.key);
    if (shape) errors.key = shape;
  }
  if (draft.models.length === 0) errors.models = t.modelsRequired;
  else if (draft.models.some((m) => m.includes(','))) errors.models = words.noComma;
  if (draft.groups.length === 0) errors.groups = t.groupsRequired;
  else if (draft.groups.some((g) => g.includes(','))) errors.groups = words.noComma;
  const mapping = mappingErrors(draft.mapping);
  if (mapping.some(Boolean)) errors.mapping = mapping;
  if (parseInteger(draft.priority) === undefined) errors.priority = words.mustBeWhole;
  const weight = parseInteger(draft.weight);
  if (weight === undefined) errors.weight = words.mustBeWhole;
  else if (weight < 0) errors.weight = words.atLeast(0);
  const config = settingErrors(draft, spec?.configFields ?? []);
  if (Object.keys(config).length > 0) errors.config = config;
  return errors;
}
