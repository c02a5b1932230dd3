import { createMemo, createResource, createSignal, For, onMount, Show } from 'solid-js';
import { AsyncView } from '../../components/async-view.tsx';
import { formatNumber, formatQuota } from '../../lib/format.ts';
import { defineMessages } from '../../lib/i18n.ts';
import { currentUser, refreshMe } from '../../lib/session.ts';
import { site } from '../../lib/site.ts';
import { api } from '../../lib/trpc.ts';
import { BarChart } from './bar-chart.tsx';
import { dayAxis, localToday, seriesOf, type Series, type UsageRow } from './usage-data.ts';

const t = defineMessages({
  en: {
    title: 'Dashboard',
    remaining: 'Remaining quota',
    used: 'Used quota',
    requests: 'Requests',
    range: 'Period',
    days: (n: number) => `${n} days`,
    period: (n: number) => `Last ${n} days:`,
    periodSummary: (requests: string, quota: string, tokens: string) =>
      `${requests} ${requests === '1' ? 'request' : 'requests'} · ${quota} quota · ${tokens} tokens`,
    requestsChart: 'Requests per day, by model',
    quotaChart: 'Quota used per day, by model',
    empty: 'No requests in this period yet. Create an API key and send one through the proxy.',
    other: 'Other models',
    showTable: 'Show the data as a table',
    day: 'Day',
    model: 'Model',
    promptTokens: 'Prompt tokens',
    completionTokens: 'Completion tokens',
    quota: 'Quota',
  },
  zh: {
    title: '数据看板',
    remaining: '剩余额度',
    used: '已用额度',
    requests: '请求次数',
    range: '时间范围',
    days: (n: number) => `${n} 天`,
    period: (n: number) => `最近 ${n} 天：`,
    periodSummary: (requests: string, quota: string, tokens: string) =>
      `${requests} 次请求 · 额度 ${quota} · ${tokens} tokens`,
    requestsChart: '每日请求次数（按模型）',
    quotaChart: '每日额度消耗（按模型）',
    empty: '这段时间还没有请求。创建一个 API 密钥，通过代理发送请求试试。',
    other: '其他模型',
    showTable: '以表格查看数据',
    day: '日期',
    model: '模型',
    promptTokens: '输入 tokens',
    completionTokens: '输出 tokens',
    quota: '额度',
  },
});

const RANGES = [7, 30] as const;

export function DashboardPage() {
  const [days, setDays] = createSignal<number>(7);
  // The period travels with its rows, so the axis never pairs new days with old data.
  const [usage, { refetch }] = createResource(days, async (count) => ({
    days: count,
    rows: await api.dashboard.usage.query({ days: count }),
  }));
  // The cards show the account as it is now, not as it was at sign-in.
  onMount(() => void refreshMe());

  return (
    <section class="page">
      <header class="page-head">
        <h1>{t().title}</h1>
        <div class="segmented" role="group" aria-label={t().range}>
          <For each={RANGES}>
            {(count) => (
              <button
                type="button"
                class="secondary small"
                aria-pressed={days() === count}
                data-testid={`range-${count}`}
                onClick={() => setDays(count)}
              >
                {t().days(count)}
              </button>
            )}
          </For>
        </div>
      </header>
      <Show when={site().notice}>
        <p class="notice">{site().notice}</p>
      </Show>
      <Show when={currentUser()}>
        {(user) => (
          <dl class="stats">
            <div>
              <dt>{t().remaining}</dt>
              <dd data-testid="quota-remaining">{formatQuota(user().quota)}</dd>
            </div>
            <div>
              <dt>{t().used}</dt>
              <dd data-testid="quota-used">{formatQuota(user().usedQuota)}</dd>
            </div>
            <div>
              <dt>{t().requests}</dt>
              <dd data-testid="request-count">{formatNumber(user().requestCount)}</dd>
            </div>
          </dl>
        )}
      </Show>
      <AsyncView resource={usage} retry={() => void refetch()}>
        {(data) => <UsageCharts rows={data.rows} days={data.days} />}
      </AsyncView>
    </section>
  );
}

function UsageCharts(props: { rows: UsageRow[]; days: number }) {
  const axis = createMemo(() => dayAxis(props.rows, props.days, localToday()));
  const series = createMemo(() => seriesOf(props.rows));
  const name = (s: Series) => s.model ?? t().other;
  const sum = (pick: (row: UsageRow) => number) =>
    props.rows.reduce((total, row) => total + pick(row), 0);

  return (
    <div class="usage">
      <p class="period" data-testid="period-summary">
        <strong>{t().period(props.days)}</strong>{' '}
        {t().periodSummary(
          formatNumber(sum((r) => r.requests)),
          formatQuota(sum((r) => r.quota)),
          formatNumber(sum((r) => r.promptTokens + r.completionTokens)),
        )}
      </p>
      <Show when={props.rows.length > 0} fallback={<p class="empty">{t().empty}</p>}>
        <div class="charts">
          <BarChart
            title={t().requestsChart}
            days={axis()}
            series={series()}
            metric="requests"
            seriesName={name}
            format={formatNumber}
            testId="chart-requests"
          />
          <BarChart
            title={t().quotaChart}
            days={axis()}
            series={series()}
            metric="quota"
            seriesName={name}
            format={formatQuota}
            testId="chart-quota"
          />
        </div>
        <details class="data-table">
          <summary>{t().showTable}</summary>
          <div class="table-wrap">
            <table class="data" data-testid="usage-table">
              <thead>
                <tr>
                  <th scope="col">{t().day}</th>
                  <th scope="col">{t().model}</th>
                  <th scope="col" class="num">
                    {t().requests}
                  </th>
                  <th scope="col" class="num">
                    {t().promptTokens}
                  </th>
                  <th scope="col" class="num">
                    {t().completionTokens}
                  </th>
                  <th scope="col" class="num">
                    {t().quota}
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={props.rows}>
                  {(row) => (
                    <tr data-testid="usage-row">
                      <td>{row.day}</td>
                      <td>{row.model}</td>
                      <td class="num">{formatNumber(row.requests)}</td>
                      <td class="num">{formatNumber(row.promptTokens)}</td>
                      <td class="num">{formatNumber(row.completionTokens)}</td>
                      <td class="num">{formatQuota(row.quota)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </details>
      </Show>
    </div>
  );
}
