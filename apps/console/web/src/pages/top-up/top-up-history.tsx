import { createResource, createSignal, For, Show } from 'solid-js';
import { AsyncView } from '../../components/async-view.tsx';
import { Pager } from '../../components/pager.tsx';
import { formatQuota, formatTime } from '../../lib/format.ts';
import { api } from '../../lib/trpc.ts';
import { topUpText as t } from './messages.ts';

const PAGE_SIZE = 20;
const TONE: Record<string, string> = { credited: 'ok', pending: 'warn', expired: 'muted' };

/**
 * The caller's top-ups, newest first; for administrators everyone's, with a user column and a
 * username filter. `version` changes when the page wants a fresh read (after a payment).
 */
export function TopUpHistory(props: { admin: boolean; version: number }) {
  const [page, setPage] = createSignal(1);
  const [draftUser, setDraftUser] = createSignal('');
  const [username, setUsername] = createSignal('');
  const [list, { refetch }] = createResource(
    () => ({ page: page(), username: username(), version: props.version }),
    ({ page, username }) =>
      api.topUp.list.query({ page, pageSize: PAGE_SIZE, ...(username ? { username } : {}) }),
  );

  return (
    <section class="card" aria-labelledby="top-up-history">
      <div class="page-head">
        <h2 id="top-up-history">{props.admin ? t().allHistory : t().history}</h2>
        <button type="button" class="secondary small" onClick={() => void refetch()}>
          {t().refresh}
        </button>
      </div>
      <Show when={props.admin}>
        <form
          class="filters"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setPage(1);
            setUsername(draftUser().trim());
          }}
        >
          <input
            type="search"
            maxLength={64}
            value={draftUser()}
            placeholder={t().filterUser}
            aria-label={t().filterUser}
            data-testid="top-up-user-filter"
            onInput={(e) => setDraftUser(e.currentTarget.value)}
          />
          <button type="submit" class="secondary">
            {t().filter}
          </button>
        </form>
      </Show>
      <AsyncView resource={list} retry={() => void refetch()}>
        {(data) => (
          <Show when={data.items.length > 0} fallback={<p class="empty">{t().none}</p>}>
            <div class="table-wrap">
              <table class="data stack" data-testid="top-up-table">
                <thead>
                  <tr>
                    <th scope="col">{t().time}</th>
                    <Show when={props.admin}>
                      <th scope="col">{t().user}</th>
                    </Show>
                    <th scope="col" class="num">
                      {t().amount}
                    </th>
                    <th scope="col" class="num">
                      {t().quota}
                    </th>
                    <th scope="col">{t().status}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={data.items}>
                    {(item) => (
                      <tr data-testid="top-up-row" data-status={item.status}>
                        <td data-label={t().time} class="nowrap">
                          {formatTime(item.createdTime)}
                        </td>
                        <Show when={props.admin}>
                          <td data-label={t().user}>{item.username}</td>
                        </Show>
                        <td data-label={t().amount} class="num nowrap">
                          {item.price}
                        </td>
                        <td data-label={t().quota} class="num">
                          {formatQuota(item.quota)}
                        </td>
                        <td data-label={t().status}>
                          <span class={`badge ${TONE[item.status] ?? ''}`}>
                            {t().statuses[item.status] ?? item.status}
                          </span>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <Pager page={page()} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
          </Show>
        )}
      </AsyncView>
    </section>
  );
}
