import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { batch, createMemo, createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { AppRouter } from '../../../src/server/router.ts';
import { defineMessages } from '../lib/i18n.ts';
import { api } from '../lib/trpc.ts';
import { AsyncView } from './async-view.tsx';
import { Pager } from './pager.tsx';

const PAGE_SIZE = 20;

const t = defineMessages({
  en: { export: 'Export as CSV' },
  zh: { export: '导出 CSV' },
});

/** The console's CSV export of the logs these filters select (all of them, not one page). */
function csvHref(query: LogQuery | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/logs.csv${search ? `?${search}` : ''}`;
}

/** The filters log.list and log.stats share. */
export type LogQuery = NonNullable<inferRouterInputs<AppRouter>['log']['stats']>;
export type LogStats = inferRouterOutputs<AppRouter>['log']['stats'];
export type LogItem = inferRouterOutputs<AppRouter>['log']['list']['items'][number];

/** What a page's filter form works with: the edited filters and the form's two actions. */
export interface LogFilterForm<F> {
  draft: () => F;
  edit: (key: keyof F, value: string) => void;
  /** The message from the last Apply that the filters could not be queried with, or ''. */
  error: () => string;
  apply: (event: SubmitEvent) => void;
  reset: () => void;
}

/**
 * Filters, totals for the filters and a paged table of logs (log.list / log.stats). The page owns
 * what differs: which filters there are, how they become a query, and the markup of each part.
 */
export function LogsView<F extends Record<keyof F, string>>(props: {
  empty: F;
  /** The filters as log.list / log.stats take them, or a message to show instead. */
  toQuery: (filters: F) => LogQuery | string;
  form: (form: LogFilterForm<F>) => JSX.Element;
  totals: (stats: LogStats) => JSX.Element;
  tableClass: string;
  head: JSX.Element;
  row: (log: LogItem) => JSX.Element;
  none: string;
}) {
  const [draft, setDraft] = createSignal<F>(props.empty);
  const [applied, setApplied] = createSignal<F>(props.empty);
  const [error, setError] = createSignal('');
  const [page, setPage] = createSignal(1);
  // Applied filters passed toQuery once; it is asked again so a page may read signals in it.
  const query = createMemo(() => {
    const next = props.toQuery(applied());
    return typeof next === 'string' ? undefined : next;
  });

  const [logs, { refetch: refetchLogs }] = createResource(
    () => query() && { ...query(), page: page(), pageSize: PAGE_SIZE },
    (input) => api.log.list.query(input),
  );
  const [stats, { refetch: refetchStats }] = createResource(query, (input) =>
    api.log.stats.query(input),
  );

  const form: LogFilterForm<F> = {
    draft,
    edit: (key, value) => setDraft((current) => ({ ...current, [key]: value })),
    error,
    apply(event) {
      event.preventDefault();
      const next = props.toQuery(draft());
      if (typeof next === 'string') return setError(next);
      batch(() => {
        setError('');
        setPage(1);
        // A new object even when nothing changed, so Apply always fetches the latest logs.
        setApplied(() => ({ ...draft() }));
      });
    },
    reset() {
      batch(() => {
        setDraft(() => props.empty);
        setError('');
        setPage(1);
        setApplied(() => ({ ...props.empty }));
      });
    },
  };

  return (
    <>
      {props.form(form)}

      <AsyncView resource={stats} retry={() => void refetchStats()}>
        {(totals) => props.totals(totals)}
      </AsyncView>
      <p class="log-export">
        <a href={csvHref(query())} download="logs.csv" data-testid="log-export">
          {t().export}
        </a>
      </p>

      <AsyncView resource={logs} retry={() => void refetchLogs()}>
        {(data) => (
          <Show when={data.total > 0} fallback={<p class="empty">{props.none}</p>}>
            <div class="table-wrap">
              <table class={props.tableClass} data-testid="log-table">
                <thead>
                  <tr>{props.head}</tr>
                </thead>
                <tbody>
                  <For each={data.items}>{(log) => props.row(log)}</For>
                </tbody>
              </table>
            </div>
            <Pager page={page()} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
          </Show>
        )}
      </AsyncView>
    </>
  );
}
