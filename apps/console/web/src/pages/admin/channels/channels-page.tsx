import { createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { AsyncView } from '../../../components/async-view.tsx';
import { Modal } from '../../../components/modal.tsx';
import { Pager } from '../../../components/pager.tsx';
import { common } from '../../../lib/i18n.ts';
import { api, errorMessage } from '../../../lib/trpc.ts';
import type { Channel } from '../components/api-types.ts';
import { FormMessage } from '../components/form-message.tsx';
import { adminWords } from '../components/messages.ts';
import { ChannelForm } from './channel-form.tsx';
import { ChannelJobsStatus } from './channel-jobs.tsx';
import { ChannelRow, type RowState } from './channel-row.tsx';
import { channelText } from './messages.ts';
import '../admin.css';

const PAGE_SIZE = 20;

type Editing = { mode: 'create' } | { mode: 'edit'; channel: Channel };

/** Every upstream channel: list, filters, per-row test / balance / enable, create and edit. */
export function ChannelsPage() {
  const t = channelText;
  const [page, setPage] = createSignal(1);
  const [keyword, setKeyword] = createSignal('');
  const [typeFilter, setTypeFilter] = createSignal('');
  const [statusFilter, setStatusFilter] = createSignal('');
  const [draftKeyword, setDraftKeyword] = createSignal('');
  const [editing, setEditing] = createSignal<Editing>();
  const [notice, setNotice] = createSignal('');
  const [rows, setRows] = createStore<Record<number, RowState>>({});

  const [types, { refetch: refetchTypes }] = createResource(() => api.channel.types.query());
  // Only a suggestion list: the form still works (free entry) when it cannot be read.
  const [groups] = createResource(() => api.channel.groups.query().catch(() => ['default']));
  const [list, { refetch }] = createResource(
    () => ({
      page: page(),
      pageSize: PAGE_SIZE,
      ...(keyword() ? { keyword: keyword() } : {}),
      ...(typeFilter() ? { type: typeFilter() } : {}),
      ...(statusFilter() ? { status: Number(statusFilter()) as 1 | 2 | 3 } : {}),
    }),
    (input) => api.channel.list.query(input),
  );

  const typeList = () => (types.state === 'ready' ? types() : []);
  const typeLabel = (type: string) => typeList().find((spec) => spec.type === type)?.label ?? type;

  /** Runs a row's call with its busy flag; the error stays on the row. */
  async function rowCall(
    id: number,
    flag: 'testing' | 'balancing' | 'switching',
    call: () => Promise<void>,
  ) {
    setRows(id, { [flag]: true, error: undefined });
    try {
      await call();
    } catch (error) {
      setRows(id, { error: errorMessage(error) });
    } finally {
      setRows(id, { [flag]: false });
    }
  }

  const test = (channel: Channel) =>
    rowCall(channel.id, 'testing', async () => {
      setRows(channel.id, { test: undefined });
      try {
        const result = await api.channel.test.mutate({ id: channel.id });
        setRows(channel.id, {
          test: {
            ok: result.ok,
            text: result.ok
              ? t().testOk(result.latencyMs)
              : t().testFailed(result.latencyMs, result.error ?? ''),
          },
        });
      } catch (error) {
        setRows(channel.id, { test: { ok: false, text: errorMessage(error) } });
        return;
      }
      // The test records the response time and may re-enable an auto-disabled channel.
      await refetch();
    });

  const refreshBalance = (channel: Channel) =>
    rowCall(channel.id, 'balancing', async () => {
      await api.channel.updateBalance.mutate({ id: channel.id });
      await refetch();
    });

  const toggle = (channel: Channel) =>
    rowCall(channel.id, 'switching', async () => {
      await api.channel.update.mutate({ id: channel.id, status: channel.status === 1 ? 2 : 1 });
      await refetch();
    });

  async function remove(channel: Channel) {
    await api.channel.delete.mutate({ id: channel.id });
    setNotice('');
    await refetch();
  }

  function search(event: SubmitEvent) {
    event.preventDefault();
    setPage(1);
    setKeyword(draftKeyword().trim());
  }

  function saved(message: string) {
    setEditing(undefined);
    setNotice(message);
    void refetch();
  }

  return (
    <section class="admin-page" aria-labelledby="channels-title">
      <header class="page-head">
        <h1 id="channels-title">{t().title}</h1>
        <button
          type="button"
          data-testid="new-channel"
          onClick={() => {
            setNotice('');
            setEditing({ mode: 'create' });
          }}
        >
          {t().newChannel}
        </button>
      </header>

      <ChannelJobsStatus />

      <form class="filters" role="search" onSubmit={search}>
        <input
          type="search"
          value={draftKeyword()}
          placeholder={t().searchPlaceholder}
          aria-label={common().search}
          data-testid="channel-search"
          onInput={(e) => setDraftKeyword(e.currentTarget.value)}
        />
        <select
          aria-label={t().type}
          value={typeFilter()}
          onChange={(e) => {
            setPage(1);
            setTypeFilter(e.currentTarget.value);
          }}
        >
          <option value="">
            {t().type}: {adminWords().all}
          </option>
          <For each={typeList()}>{(spec) => <option value={spec.type}>{spec.label}</option>}</For>
        </select>
        <select
          aria-label={adminWords().status}
          value={statusFilter()}
          onChange={(e) => {
            setPage(1);
            setStatusFilter(e.currentTarget.value);
          }}
        >
          <option value="">
            {adminWords().status}: {adminWords().all}
          </option>
          <option value="1">{t().statusEnabled}</option>
          <option value="2">{t().statusManual}</option>
          <option value="3">{t().statusAuto}</option>
        </select>
        <button type="submit" class="secondary">
          {common().search}
        </button>
      </form>

      <FormMessage success={notice()} />

      <AsyncView resource={list} retry={() => void refetch()}>
        {(data) => (
          <Show when={data.items.length > 0} fallback={<p class="empty">{t().noChannels}</p>}>
            <div class="table-wrap">
              <table class="admin-table" data-testid="channel-table">
                <thead>
                  <tr>
                    <th scope="col">{adminWords().id}</th>
                    <th scope="col">{t().name}</th>
                    <th scope="col">{t().type}</th>
                    <th scope="col">{adminWords().status}</th>
                    <th scope="col">{t().priority}</th>
                    <th scope="col">{t().weight}</th>
                    <th scope="col">{t().responseTime}</th>
                    <th scope="col">{t().balance}</th>
                    <th scope="col">{t().usedQuota}</th>
                    <th scope="col">{common().actions}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={data.items}>
                    {(channel) => (
                      <ChannelRow
                        channel={channel}
                        typeLabel={typeLabel(channel.type)}
                        state={rows[channel.id] ?? {}}
                        onTest={() => void test(channel)}
                        onBalance={() => void refreshBalance(channel)}
                        onToggle={() => void toggle(channel)}
                        onEdit={() => {
                          setNotice('');
                          setEditing({ mode: 'edit', channel });
                        }}
                        onDelete={() => remove(channel)}
                      />
                    )}
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
              title={value.mode === 'edit' ? t().editChannel(value.channel.name) : t().newChannel}
              onClose={() => setEditing(undefined)}
              keepOnBackdrop
            >
              <AsyncView resource={types} retry={() => void refetchTypes()}>
                {(loaded) => (
                  <ChannelForm
                    channel={value.mode === 'edit' ? value.channel : undefined}
                    types={loaded}
                    groups={groups.state === 'ready' ? groups() : ['default']}
                    onSaved={saved}
                  />
                )}
              </AsyncView>
            </Modal>
          );
        }}
      </Show>
    </section>
  );
}
