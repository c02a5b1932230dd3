import { A } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createAction } from '../../../lib/action.ts';
import { formatUsd } from '../../../lib/format.ts';
import { common } from '../../../lib/i18n.ts';
import type { Me } from '../../../lib/session.ts';
import { api } from '../../../lib/trpc.ts';
import type { User } from '../components/api-types.ts';
import { parseInteger } from '../components/format.ts';
import { Field } from '../../../components/field.tsx';
import { FormMessage } from '../components/form-message.tsx';
import { adminWords } from '../components/messages.ts';
import { LIMIT_FIELDS } from '../../keys/key-settings.ts';
import { roleName, userText } from './messages.ts';

interface Draft {
  username: string;
  password: string;
  displayName: string;
  email: string;
  role: string;
  group: string;
  quota: string;
  status: string;
  rpmLimit: string;
  tpmLimit: string;
  concurrencyLimit: string;
}

type Errors = Partial<Record<keyof Draft, string>>;

const USERNAME = /^[\p{L}\p{N}_.-]{2,32}$/u;

/** The roles the actor may give: root makes users and administrators, admins only users. */
function grantableRoles(actor: Me): number[] {
  return actor.role >= 100 ? [1, 10] : [1];
}

/** Create a user, or edit one (display name, password, group, quota, role, status). */
export function UserForm(props: {
  actor: Me;
  user?: User;
  groups: string[];
  onSaved: (message: string) => void;
}) {
  const t = userText;
  const user = props.user;
  const [draft, setDraft] = createStore<Draft>({
    username: user?.username ?? '',
    password: '',
    displayName: user?.displayName ?? '',
    email: user?.email ?? '',
    role: String(user?.role ?? 1),
    group: user?.group ?? 'default',
    quota: String(user?.quota ?? 0),
    status: String(user?.status ?? 1),
    rpmLimit: String(user?.rpmLimit ?? 0),
    tpmLimit: String(user?.tpmLimit ?? 0),
    concurrencyLimit: String(user?.concurrencyLimit ?? 0),
  });
  const [tried, setTried] = createSignal(false);
  const action = createAction();
  // Roles change only by root, never root's own, never to root.
  const roleEditable = () =>
    !user || (props.actor.role >= 100 && user.role < 100 && user.id !== props.actor.id);
  // An administrator's own group, quota and status are root's; their password needs the old one.
  const ownAccount = () => Boolean(user) && user?.id === props.actor.id && props.actor.role < 100;
  const roleChoices = () => (roleEditable() ? grantableRoles(props.actor) : [user?.role ?? 1]);
  const quotaUsd = () => {
    const quota = parseInteger(draft.quota);
    return quota === undefined ? '—' : formatUsd(quota);
  };

  function validate(): Errors {
    const found: Errors = {};
    if (!user && !USERNAME.test(draft.username.trim())) found.username = t().usernameRule;
    if (!user || draft.password) {
      if (draft.password.length < 8) found.password = t().passwordShort;
      else if (draft.password.length > 64) found.password = t().passwordLong;
    }
    if (draft.displayName.length > 64) found.displayName = adminWords().tooLong(64);
    const email = draft.email.trim();
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) found.email = t().emailInvalid;
    if (!draft.group.trim()) found.group = t().groupRequired;
    else if (draft.group.trim().length > 64) found.group = adminWords().tooLong(64);
    const quota = parseInteger(draft.quota);
    if (quota === undefined) found.quota = adminWords().mustBeWhole;
    else if (quota < 0) found.quota = t().quotaNegative;
    for (const field of LIMIT_FIELDS) {
      const limit = parseInteger(draft[field]);
      if (limit === undefined || limit < 0 || limit > 1_000_000_000) {
        found[field] = adminWords().mustBeWhole;
      }
    }
    return found;
  }

  /** Shown from the first save on, and updated while the fields are fixed. */
  const errors = createMemo<Errors>(() => (tried() ? validate() : {}));

  /** Until the fields are fixed, say so; otherwise the server's answer. */
  const formError = () =>
    Object.keys(errors()).length > 0 ? adminWords().fixErrors : action.error();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setTried(true);
    action.setError('');
    if (Object.keys(errors()).length > 0) return;
    const quota = Number(draft.quota);
    const role = Number(draft.role) as 1 | 10 | 100;
    const status = Number(draft.status) as 1 | 2;
    const limits = Object.fromEntries(
      LIMIT_FIELDS.map((field) => [field, Number(draft[field])]),
    ) as Record<(typeof LIMIT_FIELDS)[number], number>;
    const message = await action.run(async () => {
      if (!user) {
        await api.user.create.mutate({
          username: draft.username.trim(),
          password: draft.password,
          displayName: draft.displayName.trim(),
          role,
          group: draft.group.trim(),
          quota,
          ...limits,
        });
        return t().created;
      }
      const group = draft.group.trim();
      const email = draft.email.trim();
      await api.user.update.mutate({
        id: user.id,
        displayName: draft.displayName.trim(),
        ...(email !== user.email ? { email } : {}),
        // Unchanged values are not sent, so spending meanwhile is not overwritten.
        ...(group !== user.group ? { group } : {}),
        ...(quota !== user.quota ? { quota } : {}),
        ...(role !== user.role ? { role } : {}),
        ...(status !== user.status ? { status } : {}),
        ...Object.fromEntries(
          LIMIT_FIELDS.filter((f) => limits[f] !== user[f]).map((f) => [f, limits[f]]),
        ),
        ...(draft.password ? { password: draft.password } : {}),
      });
      return t().saved;
    });
    if (message) props.onSaved(message);
  }

  const invalid = (key: keyof Draft) => (errors()[key] ? true : undefined);

  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} novalidate>
      <div class="form-grid">
        <Field
          label={t().username}
          error={errors().username}
          hint={user ? undefined : t().usernameRule}
        >
          <input
            value={draft.username}
            disabled={Boolean(user)}
            autocomplete="off"
            data-testid="user-username"
            aria-invalid={invalid('username')}
            onInput={(e) => setDraft('username', e.currentTarget.value)}
          />
        </Field>
        <Field label={t().displayName} error={errors().displayName}>
          <input
            value={draft.displayName}
            maxLength={64}
            data-testid="user-display-name"
            aria-invalid={invalid('displayName')}
            onInput={(e) => setDraft('displayName', e.currentTarget.value)}
          />
        </Field>
        <Show when={user}>
          <Field label={t().email} hint={t().emailHint} error={errors().email}>
            <input
              type="email"
              value={draft.email}
              maxLength={254}
              data-testid="user-email"
              aria-invalid={invalid('email')}
              onInput={(e) => setDraft('email', e.currentTarget.value)}
            />
          </Field>
        </Show>
        <Show
          when={!ownAccount()}
          fallback={
            <Field label={t().password} hint={t().ownPasswordHint}>
              <A href="/profile" data-testid="user-own-password">
                {t().ownPasswordLink}
              </A>
            </Field>
          }
        >
          <Field
            label={user ? t().newPassword : t().password}
            hint={user ? t().newPasswordHint : t().passwordHint}
            error={errors().password}
          >
            <input
              type="password"
              value={draft.password}
              autocomplete="new-password"
              data-testid="user-password"
              aria-invalid={invalid('password')}
              onInput={(e) => setDraft('password', e.currentTarget.value)}
            />
          </Field>
        </Show>
        <Field
          label={t().group}
          hint={ownAccount() ? t().ownSettingsHint : undefined}
          error={errors().group}
        >
          <input
            value={draft.group}
            disabled={ownAccount()}
            list="user-groups"
            data-testid="user-group"
            aria-invalid={invalid('group')}
            onInput={(e) => setDraft('group', e.currentTarget.value)}
          />
          <datalist id="user-groups">
            <For each={props.groups}>{(group) => <option value={group} />}</For>
          </datalist>
        </Field>
        <Field
          label={t().quota}
          hint={ownAccount() ? t().ownSettingsHint : t().quotaHint(quotaUsd())}
          error={errors().quota}
        >
          <input
            value={draft.quota}
            disabled={ownAccount()}
            inputMode="numeric"
            data-testid="user-quota"
            aria-invalid={invalid('quota')}
            onInput={(e) => setDraft('quota', e.currentTarget.value)}
          />
        </Field>
        <For each={LIMIT_FIELDS}>
          {(field) => (
            <Field
              label={t()[field]}
              hint={ownAccount() ? t().ownSettingsHint : t().limitHint}
              error={errors()[field]}
            >
              <input
                value={draft[field]}
                disabled={ownAccount()}
                inputMode="numeric"
                data-testid={`user-${field}`}
                aria-invalid={invalid(field)}
                onInput={(e) => setDraft(field, e.currentTarget.value)}
              />
            </Field>
          )}
        </For>
        <Field label={t().role} hint={roleEditable() ? undefined : t().roleHint}>
          <select
            value={draft.role}
            disabled={!roleEditable() || roleChoices().length < 2}
            data-testid="user-role"
            onChange={(e) => setDraft('role', e.currentTarget.value)}
          >
            <For each={roleChoices()}>
              {(role) => <option value={String(role)}>{roleName(role)}</option>}
            </For>
          </select>
        </Field>
        <Show when={user && user.role < 100 && user.id !== props.actor.id}>
          <Field label={adminWords().status}>
            <select
              value={draft.status}
              data-testid="user-status"
              onChange={(e) => setDraft('status', e.currentTarget.value)}
            >
              <option value="1">{t().statusEnabled}</option>
              <option value="2">{t().statusDisabled}</option>
            </select>
          </Field>
        </Show>
      </div>
      <FormMessage error={formError()} />
      <div class="actions">
        <button type="submit" disabled={action.busy()} data-testid="user-save">
          {action.busy() ? common().saving : user ? common().save : common().create}
        </button>
      </div>
    </form>
  );
}
