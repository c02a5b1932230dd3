import { createMemo, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createAction } from '../../../lib/action.ts';
import { common } from '../../../lib/i18n.ts';
import { currentUser } from '../../../lib/session.ts';
import { api } from '../../../lib/trpc.ts';
import type { Channel, ChannelType } from '../components/api-types.ts';
import { Field } from '../../../components/field.tsx';
import { FormMessage } from '../components/form-message.tsx';
import { adminWords } from '../components/messages.ts';
import { TagPicker, withDraft } from '../components/tag-picker.tsx';
import { MappingEditor, mappingObject, mappingRows } from './mapping-editor.tsx';
import { channelText } from './messages.ts';
import {
  BASE_URL_EXAMPLES,
  BASE_URL_PRESETS,
  SETTING_PRESETS,
  SUGGESTED_MODELS,
} from './presets.ts';
import { draftConfig } from './channel-address.ts';
import { keyToSend } from './channel-keys.ts';
import { keyLines, validateDraft, type ChannelDraft, type DraftErrors } from './validate.ts';

function initialDraft(channel: Channel | undefined): ChannelDraft {
  if (!channel) {
    return {
      name: '',
      type: 'openai',
      baseUrl: '',
      key: '',
      models: [],
      groups: ['default'],
      mapping: [],
      priority: '0',
      weight: '1',
      config: {},
    };
  }
  return {
    name: channel.name,
    type: channel.type,
    baseUrl: channel.baseUrl,
    key: '',
    models: [...channel.models],
    groups: [...channel.groups],
    mapping: mappingRows(channel.modelMapping),
    priority: String(channel.priority),
    weight: String(channel.weight),
    config: Object.fromEntries(
      Object.entries(channel.config).map(([name, value]) => [name, String(value)]),
    ),
  };
}

/** Create (several keys → several channels) or edit one channel; the form follows the type. */
export function ChannelForm(props: {
  channel?: Channel;
  types: ChannelType[];
  groups: string[];
  onSaved: (message: string) => void;
}) {
  const t = channelText;
  const editing = () => props.channel !== undefined;
  // Only root points a stored key at a new address without entering it (channel.update's rule).
  const editState = () =>
    props.channel && {
      channel: props.channel,
      keyNeededToMove: (currentUser()?.role ?? 0) < 100,
    };
  const [draft, setDraft] = createStore<ChannelDraft>(initialDraft(props.channel));
  const [tried, setTried] = createSignal(false);
  const [modelDraft, setModelDraft] = createSignal('');
  const [groupDraft, setGroupDraft] = createSignal('');
  const action = createAction();
  const spec = createMemo(() => props.types.find((type) => type.type === draft.type));
  /** The form's problems, shown from the first save on and updated while fixing them. */
  const errors = createMemo<DraftErrors>(() =>
    tried()
      ? validateDraft(
          {
            ...draft,
            models: withDraft(draft.models, modelDraft()),
            groups: withDraft(draft.groups, groupDraft()),
          },
          spec(),
          editState(),
        )
      : {},
  );
  const suggestions = () => SUGGESTED_MODELS[draft.type] ?? [];
  const presets = () => BASE_URL_PRESETS[draft.type] ?? [];
  const keyCount = () => keyLines(draft.key).length;
  // A service account key file is pasted whole, over many lines.
  const keyIsFile = () => draft.type === 'vertex-ai';
  const keyFormat = () => t().keyFormats[draft.type];
  const baseUrlHint = () => {
    const type = spec();
    if (type?.baseUrlRequired) return t().baseUrlRequired;
    return type?.defaultBaseUrl ? t().baseUrlDefault(type.defaultBaseUrl) : t().baseUrlFromRegion;
  };
  const settingPreset = (name: string) => SETTING_PRESETS[draft.type]?.[name];
  const err = errors;

  function applyPreset(baseUrl: string, models: string[] | undefined) {
    setDraft('baseUrl', baseUrl);
    if (draft.models.length === 0 && models) setDraft('models', [...models]);
  }

  /** Until the fields are fixed, say so; otherwise the server's answer. */
  const formError = () =>
    Object.keys(errors()).length > 0 ? adminWords().fixErrors : action.error();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    // Names still in the entry fields count as chosen.
    setDraft('models', withDraft(draft.models, modelDraft()));
    setDraft('groups', withDraft(draft.groups, groupDraft()));
    setModelDraft('');
    setGroupDraft('');
    setTried(true);
    action.setError('');
    if (Object.keys(errors()).length > 0) return;
    const settings = {
      name: draft.name.trim(),
      type: draft.type as ChannelType['type'],
      baseUrl: draft.baseUrl.trim(),
      models: draft.models,
      groups: draft.groups,
      modelMapping: mappingObject(draft.mapping),
      priority: Number(draft.priority),
      weight: Number(draft.weight),
      config: draftConfig(draft, spec()?.configFields ?? []),
    };
    const channel = props.channel;
    const message = await action.run(async () => {
      if (channel) {
        const key = keyToSend(settings.type, draft.key.trim());
        await api.channel.update.mutate({ id: channel.id, ...settings, ...(key ? { key } : {}) });
        return t().saved;
      }
      const created = await api.channel.create.mutate({
        ...settings,
        key: keyToSend(settings.type, draft.key),
      });
      return t().created(created.ids.length);
    });
    if (message) props.onSaved(message);
  }

  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} novalidate>
      <div class="form-grid">
        <Field label={t().name} error={err().name}>
          <input
            value={draft.name}
            placeholder={t().namePlaceholder}
            maxLength={128}
            data-testid="channel-name"
            aria-invalid={err().name ? true : undefined}
            onInput={(e) => setDraft('name', e.currentTarget.value)}
          />
        </Field>
        <Field label={t().type} error={err().type}>
          <select
            value={draft.type}
            data-testid="channel-type"
            onChange={(e) => setDraft('type', e.currentTarget.value)}
          >
            <For each={props.types}>
              {(type) => <option value={type.type}>{type.label}</option>}
            </For>
          </select>
        </Field>
      </div>

      <Field label={t().baseUrl} error={err().baseUrl} hint={baseUrlHint()}>
        <input
          value={draft.baseUrl}
          type="url"
          inputMode="url"
          placeholder={spec()?.defaultBaseUrl || BASE_URL_EXAMPLES[draft.type] || 'https://'}
          data-testid="channel-base-url"
          aria-invalid={err().baseUrl ? true : undefined}
          onInput={(e) => setDraft('baseUrl', e.currentTarget.value)}
        />
      </Field>
      <Show when={presets().length > 0}>
        <div class="presets" role="group" aria-label={t().presets}>
          <span class="field-label">{t().presets}</span>
          <For each={presets()}>
            {(preset) => (
              <button
                type="button"
                class="chip"
                title={preset.baseUrl}
                onClick={() => applyPreset(preset.baseUrl, preset.models)}
              >
                {preset.label}
              </button>
            )}
          </For>
          <small class="hint">{t().presetHint}</small>
        </div>
      </Show>

      <For each={spec()?.configFields ?? []}>
        {(name) => (
          <Field
            label={t().settingLabels[name] ?? t().configField(name)}
            hint={t().settingHints[`${draft.type}.${name}`]}
            error={err().config?.[name]}
          >
            <input
              value={draft.config[name] ?? ''}
              list={settingPreset(name)?.suggestions ? `channel-${name}-values` : undefined}
              placeholder={settingPreset(name)?.example}
              maxLength={64}
              autocomplete="off"
              spellcheck={false}
              data-testid={`channel-config-${name}`}
              aria-invalid={err().config?.[name] ? true : undefined}
              onInput={(e) => setDraft('config', name, e.currentTarget.value)}
            />
            <Show when={settingPreset(name)?.suggestions}>
              {(values) => (
                <datalist id={`channel-${name}-values`}>
                  <For each={values()}>{(value) => <option value={value} />}</For>
                </datalist>
              )}
            </Show>
          </Field>
        )}
      </For>

      <Show
        when={editing()}
        fallback={
          <Field
            label={keyIsFile() ? t().serviceAccountKey : t().keys}
            hint={keyIsFile() ? keyFormat() : [keyFormat(), t().keysHint(keyCount())].join(' ')}
            error={err().key}
          >
            <textarea
              value={draft.key}
              rows={keyIsFile() ? 10 : 3}
              placeholder={keyIsFile() ? '{"type": "service_account", …}' : undefined}
              autocomplete="off"
              spellcheck={false}
              data-testid="channel-key"
              aria-invalid={err().key ? true : undefined}
              onInput={(e) => setDraft('key', e.currentTarget.value)}
            />
          </Field>
        }
      >
        <Field
          label={keyIsFile() ? t().serviceAccountKey : t().key}
          hint={[t().keyEditHint(props.channel?.keyHint ?? ''), keyFormat()]
            .filter(Boolean)
            .join(' ')}
          error={err().key}
        >
          <Show
            when={keyIsFile()}
            fallback={
              <input
                value={draft.key}
                type="password"
                autocomplete="off"
                data-testid="channel-key"
                aria-invalid={err().key ? true : undefined}
                onInput={(e) => setDraft('key', e.currentTarget.value)}
              />
            }
          >
            <textarea
              value={draft.key}
              rows={6}
              autocomplete="off"
              spellcheck={false}
              data-testid="channel-key"
              aria-invalid={err().key ? true : undefined}
              onInput={(e) => setDraft('key', e.currentTarget.value)}
            />
          </Show>
        </Field>
      </Show>

      <TagPicker
        label={t().models}
        values={draft.models}
        onChange={(models) => setDraft('models', models)}
        draft={modelDraft()}
        onDraft={setModelDraft}
        suggestions={suggestions()}
        placeholder={t().modelsPlaceholder}
        hint={t().modelsHint}
        error={err().models}
        testId="channel-models"
        extra={[
          {
            label: t().selectSuggested,
            run: () => setDraft('models', [...new Set([...draft.models, ...suggestions()])]),
          },
          { label: t().clearModels, run: () => setDraft('models', []) },
        ]}
      />

      <TagPicker
        label={t().groups}
        values={draft.groups}
        onChange={(groups) => setDraft('groups', groups)}
        draft={groupDraft()}
        onDraft={setGroupDraft}
        suggestions={props.groups}
        placeholder={t().groupsPlaceholder}
        hint={t().groupsHint}
        error={err().groups}
        testId="channel-groups"
      />

      <MappingEditor
        rows={draft.mapping}
        onChange={(rows) => setDraft('mapping', rows)}
        models={draft.models}
        errors={err().mapping ?? []}
      />

      <div class="form-grid">
        <Field label={t().priority} hint={t().priorityHint} error={err().priority}>
          <input
            value={draft.priority}
            inputMode="numeric"
            data-testid="channel-priority"
            aria-invalid={err().priority ? true : undefined}
            onInput={(e) => setDraft('priority', e.currentTarget.value)}
          />
        </Field>
        <Field label={t().weight} hint={t().weightHint} error={err().weight}>
          <input
            value={draft.weight}
            inputMode="numeric"
            data-testid="channel-weight"
            aria-invalid={err().weight ? true : undefined}
            onInput={(e) => setDraft('weight', e.currentTarget.value)}
          />
        </Field>
      </div>

      <FormMessage error={formError()} />
      <div class="actions">
        <button type="submit" disabled={action.busy()} data-testid="channel-save">
          {action.busy() ? common().saving : common().save}
        </button>
      </div>
    </form>
  );
}
