import { createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { AsyncView } from '../../../components/async-view.tsx';
import { Modal } from '../../../components/modal.tsx';
import { Pager } from '../../../components/pager.tsx';
import { formatNumber, formatQuota } from '../../../lib/format.ts';
import { common } from '../../../lib/i18n.ts';
import { currentUser, type Me } from '../../../lib/session.ts';
import { api, errorMessage } from '../../../lib/trpc.ts';
import type { Inputs, User } from '../components/api-types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { FormMessage } from '../components/form-message.tsx';
import { adminWords } from '../components/messages.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { roleName, userText } from './messages.ts';
import { UserForm } from './user-form.tsx';
import '../admin.css';

const PAGE_SIZE = 20;

type Sort = NonNullable<Exclude<Inputs['user']['list'], void | undefined>['sort']>;
type Editing = { mode: 'create' } | { mode: 'edit'; user: User };

/** Why the actor cannot change this user (the API's rule: only users below one's role), or ''. */
function manageBlock(actor: Me | undefined, user: User): string {
  if (user.role >= 100) return userText().rootFixed;
  if (!actor || user.role >= actor.role) return userText().cannotManage;
  return '';
}

/** Every account: search, sort, create, edit, enable / disable, delete. */
export function UsersPage() {
  const t = userText;
  const [page, setPage] = createSignal(1);
  const [keyword, setKeyword] = createSignal('');
  const [draftKeyword, setDraftKeyword] = createSignal('');
  const [sort, setSort] = createSignal<Sort>('id');
  const [editing, setEditing] = createSignal<Editing>();
  const [notice, setNotice] = createSignal('');
  const [rowErrors, setRowErrors] = createStore<Record<number, string>>({});
  const [switching, setSwitching] = createStore<Record<number, boolean>>({});

  const [groups] = createResource(() => api.channel.groups.query().catch(() => ['default']));
  const [list, { refetch }] = createResource(
    () => ({
      page: page(),
      pageSize: PAGE_SIZE,
      sort: sort(),
      ...(keyword() ? { keyword: keyword() } : {}),
    }),
    (input) => api.user.list.query(input),
  );

  async function toggle(user: User) {
    setRowErrors(user.id, '');
    setSwitching(user.id, true);
    try {
      await api.user.update.mutate({ id: user.id, status: user.status === 1 ? 2 : 1 });
      await refetch();
    } catch (error) {
      setRowErrors(user.id, errorMessage(error));
    } finally {
      setSwitching(user.id, false);
    }
  }

  async function remove(user: User) {
    await api.user.delete.mutate({ id: user.id });
    setNotice('');
    await refetch();
  }

  function saved(message: string) {
    setEditing(undefined);
    setNotice(message);
    void refetch();
  }

  return (
    <section class="admin-page" aria-labelledby="users-title">
      <header class="page-head">
        <h1 id="users-title">{t().title}</h1>
        <button
          type="button"
          data-testid="new-user"
          onClick={() => {
            setNotice('');
            setEditing({ mode: 'create' });
          }}
        >
          {t().newUser}
        </button>
      </header>

      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setKeyword(draftKeyword().trim());
        }}
      >
        <input
          type="search"
          value={draftKeyword()}
          maxLength={64}
          placeholder={t().searchPlaceholder}
          aria-label={common().search}
          data-testid="user-search"
          onInput={(e) => setDraftKeyword(e.currentTarget.value)}
        />
        <label class="inline">
          <span>{t().sort}</span>
          <select
            value={sort()}
            data-testid="user-sort"
            onChange={(e) => {
              setPage(1);
              setSort(e.currentTarget.value as Sort);
            }}
          >
            <option value="id">{t().sortId}</option>
            <option value="quota">{t().sortQuota}</option>
            <option value="usedQuota">{t().sortUsed}</option>
            <option value="requestCount">{t().sortRequests}</option>
          </select>
        </label>
        <button type="submit" class="secondary">
          {common().search}
        </button>
      </form>

      <FormMessage success={notice()} />

      <AsyncView resource={list} retry={() => void refetch()}>
        {(data) => (
          <Show when={data.items.length > 0} fallback={<p class="empty">{t().noUsers}</p>}>
            <div class="table-wrap">
              <table class="admin-table" data-testid="user-table">
                <thead>
                  <tr>
                    <th scope="col">{adminWords().id}</th>
                    <th scope="col">{t().username}</th>
                    <th scope="col">{t().role}</th>
                    <th scope="col">{t().group}</th>
                    <th scope="col">{adminWords().status}</th>
                    <th scope="col">{t().quota}</th>
                    <th scope="col">{t().used}</th>
                    <th scope="col">{t().requests}</th>
                    <th scope="col">{common().actions}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={data.items}>
                    {(user) => {
                      const self = () => currentUser()?.id === user.id;
                      // Toggle and delete: never oneself; edit: oneself too (name, password).
                      const block = () => manageBlock(currentUser(), user);
                      const editBlock = () => (self() ? '' : block());
                      return (
                        <tr data-testid="user-row" data-id={user.id}>
                          <td>{user.id}</td>
                          <td>
                            <strong data-testid="user-row-username">{user.username}</strong>
                            <Show when={self()}> ({t().you})</Show>
                            <Show when={user.displayName && user.displayName !== user.username}>
                              <small class="sub">{user.displayName}</small>
                            </Show>
                          </td>
                          <td>{roleName(user.role)}</td>
                          <td>{user.group}</td>
                          <td>
                            <StatusBadge
                              tone={user.status === 1 ? 'ok' : 'off'}
                              label={user.status === 1 ? t().statusEnabled : t().statusDisabled}
                              testId="user-status-badge"
                            />
                          </td>
                          <td class="num" data-testid="user-row-quota">
                            {formatQuota(user.quota)}
                          </td>
                          <td class="num">{formatQuota(user.usedQuota)}</td>
                          <td class="num">{formatNumber(user.requestCount)}</td>
                          <td class="row-actions">
                            <div class="buttons">
                              <button
                                type="button"
                                class="secondary small"
                                disabled={Boolean(editBlock())}
                                title={editBlock() || undefined}
                                data-testid="user-edit"
                                onClick={() => {
                                  setNotice('');
                                  setEditing({ mode: 'edit', user });
                                }}
                              >
                                {common().edit}
                              </button>
                              <button
                                type="button"
                                class="secondary small"
                                disabled={Boolean(block()) || self() || switching[user.id]}
                                title={block() || undefined}
                                data-testid="user-toggle"
                                onClick={() => void toggle(user)}
                              >
                                {user.status === 1 ? common().disable : common().enable}
                              </button>
                              <ConfirmButton
                                label={common().delete}
                                title={t().deleteTitle}
                                message={common().confirmDelete(user.username)}
                                confirmLabel={common().delete}
                                disabled={Boolean(block()) || self()}
                                disabledReason={block()}
                                testId="user-delete"
                                onConfirm={() => remove(user)}
                              />
                            </div>
                            <Show when={rowErrors[user.id]}>
                              <p class="error" role="alert">
                                {rowErrors[user.id]}
                              </p>
                            </Show>
                          </td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
            </div>
            <Pager page={page()} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
          </Show>
        )}
      </AsyncView>

      <Show when={editing()}>
        {(current) => {
          const value = current();
          return (
            <Modal
              title={value.mode === 'edit' ? t().editUser(value.user.username) : t().newUser}
              onClose={() => setEditing(undefined)}
              keepOnBackdrop
            >
              <Show when={currentUser()}>
                {(actor) => (
                  <UserForm
                    actor={actor()}
                    user={value.mode === 'edit' ? value.user : undefined}
                    groups={groups.state === 'ready' ? groups() : ['default']}
                    onSaved={saved}
                  />
                )}
              </Show>
            </Modal>
          );
        }}
      </Show>
    </section>
  );
}
