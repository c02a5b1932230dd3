import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { AsyncView } from '../../components/async-view.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Pager } from '../../components/pager.tsx';
import { createAction } from '../../lib/action.ts';
import { common } from '../../lib/i18n.ts';
import { api } from '../../lib/trpc.ts';
import { KeyFormModal } from './key-form.tsx';
import { KeyOnceModal } from './key-once.tsx';
import { KeyRow } from './key-row.tsx';
import type { Token } from './key-settings.ts';
import { keyText } from './messages.ts';

const PAGE_SIZE = 20;

type Confirming = { kind: 'regenerate' | 'delete'; token: Token };
type Shown = { name: string; secret: string; models: string[] };

export function KeysPage() {
  const [page, setPage] = createSignal(1);
  const [keyword, setKeyword] = createSignal('');
  const [tokens, { refetch }] = createResource(
    () => ({ page: page(), keyword: keyword() }),
    (query) =>
      api.token.list.query({
        page: query.page,
        pageSize: PAGE_SIZE,
        ...(query.keyword ? { keyword: query.keyword } : {}),
      }),
  );
  const [editing, setEditing] = createSignal<{ token?: Token } | null>(null);
  const [confirming, setConfirming] = createSignal<Confirming | null>(null);
  const [shown, setShown] = createSignal<Shown | null>(null);
  const rowAction = createAction();

  function search(event: SubmitEvent) {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('keyword');
    setKeyword(input instanceof HTMLInputElement ? input.value.trim() : '');
    setPage(1);
  }

  async function toggle(token: Token) {
    const status = token.status === 1 ? 2 : 1;
    const done = await rowAction.run(() => api.token.update.mutate({ id: token.id, status }));
    if (done) void refetch();
  }

  async function regenerate(token: Token) {
    const { key } = await api.token.regenerateKey.mutate({ id: token.id });
    setShown({ name: token.name, secret: key, models: token.models });
    void refetch();
  }

  async function remove(token: Token) {
    await api.token.delete.mutate({ id: token.id });
    // Deleting the last key of a page shows the page before it.
    const data = tokens.latest;
    if (data && data.items.length === 1 && page() > 1) setPage(page() - 1);
    else void refetch();
  }

  return (
    <section class="page">
      <header class="page-head">
        <h1>{keyText().title}</h1>
        <button type="button" data-testid="new-key" onClick={() => setEditing({})}>
          {keyText().newKey}
        </button>
      </header>
      <form class="toolbar" role="search" onSubmit={search}>
        <input
          name="keyword"
          type="search"
          aria-label={keyText().search}
          placeholder={keyText().search}
        />
        <button type="submit" class="secondary">
          {common().search}
        </button>
      </form>
      <Show when={rowAction.error()}>
        <p class="error" role="alert" data-testid="key-action-error">
          {rowAction.error()}
        </p>
      </Show>
      <AsyncView resource={tokens} retry={() => void refetch()}>
        {(data) => (
          <Switch>
            <Match when={data.total === 0}>
              <p class="empty">{keyword() ? keyText().noMatch : keyText().none}</p>
            </Match>
            <Match when={data.total > 0}>
              <div class="table-wrap">
                <table class="data stack" data-testid="key-table">
                  <thead>
                    <tr>
                      <th scope="col">{keyText().name}</th>
                      <th scope="col">{keyText().status}</th>
                      <th scope="col">{keyText().remaining}</th>
                      <th scope="col">{keyText().expiry}</th>
                      <th scope="col">{keyText().limits}</th>
                      <th scope="col">{common().actions}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={data.items}>
                      {(token) => (
                        <KeyRow
                          token={token}
                          busy={rowAction.busy()}
                          onEdit={() => setEditing({ token })}
                          onToggle={() => void toggle(token)}
                          onRegenerate={() => setConfirming({ kind: 'regenerate', token })}
                          onDelete={() => setConfirming({ kind: 'delete', token })}
                        />
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Pager page={page()} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
            </Match>
          </Switch>
        )}
      </AsyncView>

      <Show when={editing()}>
        {(state) => (
          <KeyFormModal
            token={state().token}
            onClose={() => setEditing(null)}
            onCreated={(created) => {
              setEditing(null);
              setShown({ name: created.name, secret: created.key, models: created.models });
              void refetch();
            }}
            onSaved={() => {
              setEditing(null);
              void refetch();
            }}
          />
        )}
      </Show>
      <Show when={confirming()}>
        {(state) => (
          <ConfirmDialog
            title={state().kind === 'delete' ? keyText().deleteTitle : keyText().regenerateTitle}
            message={
              state().kind === 'delete'
                ? common().confirmDelete(state().token.name)
                : keyText().regenerateText(state().token.name)
            }
            confirmLabel={state().kind === 'delete' ? common().delete : keyText().regenerate}
            danger
            onConfirm={() =>
              state().kind === 'delete' ? remove(state().token) : regenerate(state().token)
            }
            onClose={() => setConfirming(null)}
          />
        )}
      </Show>
      <Show when={shown()}>
        {(key) => (
          <KeyOnceModal
            name={key().name}
            secret={key().secret}
            models={key().models}
            onClose={() => setShown(null)}
          />
        )}
      </Show>
    </section>
  );
}
