import { For, Show } from 'solid-js';
import { Field } from '../../components/field.tsx';
import { LogsView, type LogQuery } from '../../components/logs-view.tsx';
import { ADMIN_ROLE } from '../../components/require-admin.tsx';
import { formatNumber, formatQuota, formatTime, fromDateInput } from '../../lib/format.ts';
import { defineMessages } from '../../lib/i18n.ts';
import { currentUser } from '../../lib/session.ts';

const t = defineMessages({
  en: {
    title: 'Logs',
    filters: 'Filters',
    model: 'Model',
    tokenName: 'Key name',
    type: 'Type',
    anyType: 'Any type',
    types: { 1: 'Top-up', 2: 'Usage', 3: 'Management', 4: 'System', 5: 'Error' } as Record<
      number,
      string
    >,
    from: 'From',
    to: 'To',
    apply: 'Apply',
    reset: 'Reset',
    badRange: 'The start date is after the end date.',
    totals: 'Totals for these filters',
    quota: 'Quota',
    requests: 'Entries',
    tokens: 'Tokens (prompt + completion)',
    time: 'Time',
    key: 'Key',
    promptCompletion: 'Prompt / completion',
    duration: 'Duration',
    details: 'Details',
    stream: 'stream',
    firstToken: (seconds: string) => `first token ${seconds}`,
    none: 'No logs match these filters.',
  },
  zh: {
    title: '使用日志',
    filters: '筛选',
    model: '模型',
    tokenName: '密钥名称',
    type: '类型',
    anyType: '全部类型',
    types: { 1: '充值', 2: '消费', 3: '管理', 4: '系统', 5: '错误' } as Record<number, string>,
    from: '开始日期',
    to: '结束日期',
    apply: '查询',
    reset: '重置',
    badRange: '开始日期晚于结束日期。',
    totals: '当前筛选条件下的合计',
    quota: '额度',
    requests: '记录数',
    tokens: 'Tokens（输入 + 输出）',
    time: '时间',
    key: '密钥',
    promptCompletion: '输入 / 输出',
    duration: '耗时',
    details: '详情',
    stream: '流式',
    firstToken: (seconds: string) => `首字 ${seconds}`,
    none: '没有符合条件的日志。',
  },
});

interface Filters {
  model: string;
  tokenName: string;
  type: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { model: '', tokenName: '', type: '', from: '', to: '' };

/** log.list / log.stats filters for the signed-in user's own logs (admins see everyone's). */
function toQuery(filters: Filters): LogQuery | string {
  if (filters.from && filters.to && filters.from > filters.to) return t().badRange;
  const from = fromDateInput(filters.from);
  const to = fromDateInput(filters.to);
  const user = currentUser();
  return {
    // Administrators would otherwise get every user's logs: this page is the caller's own.
    ...(user && user.role >= ADMIN_ROLE ? { username: user.username } : {}),
    ...(filters.model.trim() ? { model: filters.model.trim() } : {}),
    ...(filters.tokenName.trim() ? { tokenName: filters.tokenName.trim() } : {}),
    ...(filters.type ? { type: Number(filters.type) } : {}),
    ...(Number.isNaN(from) ? {} : { from }),
    // The whole last day.
    ...(Number.isNaN(to) ? {} : { to: to + 86_399 }),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** The signed-in user's own logs. */
export function LogsPage() {
  return (
    <section class="page">
      <header class="page-head">
        <h1>{t().title}</h1>
      </header>
      <LogsView
        empty={NO_FILTERS}
        toQuery={toQuery}
        form={(form) => {
          const edit = (key: keyof Filters) => (e: { currentTarget: { value: string } }) =>
            form.edit(key, e.currentTarget.value);
          return (
            <form class="log-filters" aria-label={t().filters} onSubmit={form.apply} novalidate>
              <Field label={t().model}>
                <input name="model" value={form.draft().model} onInput={edit('model')} />
              </Field>
              <Field label={t().tokenName}>
                <input
                  name="tokenName"
                  value={form.draft().tokenName}
                  onInput={edit('tokenName')}
                />
              </Field>
              <Field label={t().type}>
                <select name="type" value={form.draft().type} onChange={edit('type')}>
                  <option value="">{t().anyType}</option>
                  <For each={[2, 1, 3, 4, 5]}>
                    {(type) => <option value={String(type)}>{t().types[type]}</option>}
                  </For>
                </select>
              </Field>
              <Field label={t().from} error={form.error()}>
                <input
                  name="from"
                  type="date"
                  aria-invalid={Boolean(form.error())}
                  value={form.draft().from}
                  onInput={edit('from')}
                />
              </Field>
              <Field label={t().to}>
                <input name="to" type="date" value={form.draft().to} onInput={edit('to')} />
              </Field>
              <div class="filter-actions">
                <button type="submit" data-testid="log-apply">
                  {t().apply}
                </button>
                <button type="button" class="secondary" onClick={() => form.reset()}>
                  {t().reset}
                </button>
              </div>
            </form>
          );
        }}
        totals={(totals) => (
          <dl class="stats" aria-label={t().totals}>
            <div>
              <dt>{t().quota}</dt>
              <dd data-testid="log-total-quota">{formatQuota(totals.quota)}</dd>
            </div>
            <div>
              <dt>{t().requests}</dt>
              <dd data-testid="log-total-requests">{formatNumber(totals.requests)}</dd>
            </div>
            <div>
              <dt>{t().tokens}</dt>
              <dd data-testid="log-total-tokens">
                {formatNumber(totals.promptTokens + totals.completionTokens)}
              </dd>
            </div>
          </dl>
        )}
        tableClass="data stack"
        head={
          <>
            <th scope="col">{t().time}</th>
            <th scope="col">{t().type}</th>
            <th scope="col">{t().key}</th>
            <th scope="col">{t().model}</th>
            <th scope="col" class="num">
              {t().promptCompletion}
            </th>
            <th scope="col" class="num">
              {t().quota}
            </th>
            <th scope="col">{t().duration}</th>
            <th scope="col">{t().details}</th>
          </>
        }
        row={(log) => (
          <tr data-testid="log-row" data-log-type={log.type}>
            <td data-label={t().time} class="nowrap">
              {formatTime(log.createdAt)}
            </td>
            <td data-label={t().type}>
              <span class={`badge ${log.type === 5 ? 'bad' : log.type === 1 ? 'ok' : ''}`}>
                {t().types[log.type] ?? log.type}
              </span>
            </td>
            <td data-label={t().key}>{log.tokenName}</td>
            <td data-label={t().model} data-testid="log-model">
              {log.model}
            </td>
            <td data-label={t().promptCompletion} class="num">
              {formatNumber(log.promptTokens)} / {formatNumber(log.completionTokens)}
            </td>
            <td data-label={t().quota} class="num" data-testid="log-quota">
              {formatQuota(log.quota)}
            </td>
            <td data-label={t().duration}>
              <Show when={log.durationMs > 0}>
                {seconds(log.durationMs)}
                <Show when={log.isStream}>
                  <span class="sub">
                    {t().stream}
                    <Show when={log.ttftMs > 0}>
                      {' · '}
                      {t().firstToken(seconds(log.ttftMs))}
                    </Show>
                  </span>
                </Show>
              </Show>
            </td>
            <td data-label={t().details} class="details">
              {log.content}
            </td>
          </tr>
        )}
        none={t().none}
      />
    </section>
  );
}
