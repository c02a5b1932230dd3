import { createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { AsyncView } from '../../../components/async-view.tsx';
import { Pager } from '../../../components/pager.tsx';
import { formatQuota } from '../../../lib/format.ts';
import { common } from '../../../lib/i18n.ts';
import { api, errorMessage } from '../../../lib/trpc.ts';
import type { Redemption } from '../components/api-types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { formatWhen } from '../components/format.ts';
import { adminWords } from '../components/messages.ts';
import { StatusBadge, type Tone } from '../components/status-badge.tsx';
import { CreateCodes } from './create-codes.tsx';
import { redemptionText } from './messages.ts';
import '../admin.css';

const PAGE_SIZE = 20;

const STATUS: Record<number, { tone: Tone; label: () => string }> = {
  1: { tone: 'ok', label: () => redemptionText().statusEnabled },
  2: { tone: 'off', label: () => redemptionText().statusDisabled },
  3: { tone: 'info', label: () => redemptionText().statusUsed },
};

/** Redemption codes: batch creation (shown once), list, disable / enable, delete. */
export function RedemptionsPage() {
  const t = redemptionText;
  const [page, setPage] = createSignal(1);
  const [keyword, setKeyword] = createSignal('');
  const [draftKeyword, setDraftKeyword] = createSignal('');
  const [rowErrors, setRowErrors] = createStore<Record<number, string>>({});
  const [switching, setSwitching] = createStore<Record<number, boolean>>({});

  const [list, { refetch }] = createResource(
    () => ({ page: page(), pageSize: PAGE_SIZE, ...(keyword() ? { keyword: keyword() } : {}) }),
    (input) => api.redemption.list.query(input),
  );

  async function toggle(code: Redemption) {
    setRowErrors(code.id, '');
    setSwitching(code.id, true);
    try {
      await api.redemption.update.mutate({ id: code.id, status: code.status === 1 ? 2 : 1 });
      await refetch();
    } catch (error) {
      setRowErrors(code.id, errorMessage(error));
    } finally {
      setSwitching(code.id, false);
    }
  }

  async function remove(code: Redemption) {
    await api.redemption.delete.mutate({ id: code.id });
    await refetch();
  }

  return (
    <section class="admin-page" aria-labelledby="redemptions-title">
      <header class="page-head">
        <h1 id="redemptions-title">{t().title}</h1>
      </header>

      <CreateCodes
        onCreated={() => {
          setPage(1);
          void refetch();
        }}
      />

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
          data-testid="redemption-search"
          onInput={(e) => setDraftKeyword(e.currentTarget.value)}
        />
        <button type="submit" class="secondary">
          {common().search}
        </button>
      </form>

      <AsyncView resource={list} retry={() => void refetch()}>
        {(data) => (
          <Show when={data.items.length > 0} fallback={<p class="empty">{t().noCodes}</p>}>
            <div class="table-wrap">
              <table class="admin-table" data-testid="redemption-table">
                <thead>
                  <tr>
                    <th scope="col">{adminWords().id}</th>
                    <th scope="col">{t().name}</th>
                    <th scope="col">{t().code}</th>
                    <th scope="col">{adminWords().status}</th>
                    <th scope="col">{t().quota}</th>
                    <th scope="col">{t().created}</th>
                    <th scope="col">{t().redeemedBy}</th>
                    <th scope="col">{common().actions}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={data.items}>
                    {(code) => {
                      const status = STATUS[code.status] ?? {
                        tone: 'info' as Tone,
                        label: () => String(code.status),
                      };
                      return (
                        <tr data-testid="redemption-row" data-id={code.id}>
                          <td>{code.id}</td>
                          <td>{code.name}</td>
                          <td class="nowrap">
                            <code>{code.keyHint ? t().codeHint(code.keyHint) : '—'}</code>
                          </td>
                          <td>
                            <StatusBadge
                              tone={status.tone}
                              label={status.label()}
                              testId="redemption-status"
                            />
                          </td>
                          <td class="num">{formatQuota(code.quota)}</td>
                          <td>{formatWhen(code.createdTime)}</td>
                          <td>
                            <Show when={code.usedUserId} fallback="—">
                              {t().userRef(code.usedUserId ?? 0)}
                              <small class="sub">{formatWhen(code.redeemedTime)}</small>
                            </Show>
                          </td>
                          <td class="row-actions">
                            <div class="buttons">
                              <Show when={code.status !== 3}>
                                <button
                                  type="button"
                                  class="secondary small"
                                  disabled={switching[code.id]}
                                  data-testid="redemption-toggle"
                                  onClick={() => void toggle(code)}
                                >
                                  {code.status === 1 ? common().disable : common().enable}
                                </button>
                              </Show>
                              <ConfirmButton
                                label={common().delete}
                                title={t().deleteTitle}
                                message={common().confirmDelete(code.name)}
                                confirmLabel={common().delete}
                                testId="redemption-delete"
                                onConfirm={() => remove(code)}
                              />
                            </div>
                            <Show when={rowErrors[code.id]}>
                              <p class="error" role="alert">
                                {rowErrors[code.id]}
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
    </section>
  );
}
