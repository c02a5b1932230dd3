import { For, Show } from 'solid-js';
import { LogsView, type LogQuery } from '../../../components/logs-view.tsx';
import { formatNumber, formatQuota, fromDateInput } from '../../../lib/format.ts';
import { FormMessage } from '../components/form-message.tsx';
import { formatWhen, parseInteger } from '../components/format.ts';
import { adminWords } from '../components/messages.ts';
import { StatusBadge, type Tone } from '../components/status-badge.tsx';
import { LOG_TYPES, logText } from './messages.ts';
import '../admin.css';

interface Filters {
  username: string;
  tokenName: string;
  model: string;
  channelId: string;
  type: string;
  from: string;
  to: string;
}

const EMPTY: Filters = {
  username: '',
  tokenName: '',
  model: '',
  channelId: '',
  type: '',
  from: '',
  to: '',
};

const TYPE_TONE: Record<number, Tone> = { 1: 'ok', 2: 'info', 3: 'warn', 4: 'info', 5: 'off' };

/** The filters as log.list / log.stats take them, or an error to show instead. */
function toQuery(filters: Filters): LogQuery | string {
  const query: LogQuery = {};
  for (const key of ['username', 'tokenName', 'model'] as const) {
    const value = filters[key].trim();
    if (value) query[key] = value;
  }
  if (filters.channelId.trim()) {
    const id = parseInteger(filters.channelId);
    if (id === undefined || id < 0) return logText().channelInvalid;
    query.channelId = id;
  }
  if (filters.type) query.type = Number(filters.type);
  const from = fromDateInput(filters.from);
  const to = fromDateInput(filters.to);
  if (!Number.isNaN(from)) query.from = from;
  // The end minute is included.
  if (!Number.isNaN(to)) query.to = to + 59;
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    return logText().rangeInvalid;
  }
  return query;
}

/** Every user's logs (admins): filters by user and channel too, totals for the filters, paging. */
export function LogsPage() {
  const t = logText;
  return (
    <section class="admin-page" aria-labelledby="logs-title">
      <header class="page-head">
        <h1 id="logs-title">{t().title}</h1>
      </header>
      <LogsView
        empty={EMPTY}
        toQuery={toQuery}
        form={(form) => {
          const input = (key: keyof Filters) => (e: { currentTarget: { value: string } }) =>
            form.edit(key, e.currentTarget.value);
          const textFilter = (key: 'username' | 'tokenName' | 'model', label: string) => (
            <label class="field">
              <span class="field-label">{label}</span>
              <input
                value={form.draft()[key]}
                maxLength={key === 'model' ? 128 : 64}
                data-testid={`log-filter-${key}`}
                onInput={input(key)}
              />
            </label>
          );
          return (
            <>
              <form class="filter-grid" role="search" onSubmit={form.apply}>
                {textFilter('username', t().username)}
                {textFilter('tokenName', t().tokenName)}
                {textFilter('model', t().model)}
                <label class="field">
                  <span class="field-label">{t().channel}</span>
                  <input
                    value={form.draft().channelId}
                    inputMode="numeric"
                    data-testid="log-filter-channel"
                    onInput={input('channelId')}
                  />
                </label>
                <label class="field">
                  <span class="field-label">{t().type}</span>
                  <select
                    value={form.draft().type}
                    data-testid="log-filter-type"
                    onChange={input('type')}
                  >
                    <option value="">{adminWords().all}</option>
                    <For each={LOG_TYPES}>
                      {(type) => <option value={String(type.value)}>{type.label()}</option>}
                    </For>
                  </select>
                </label>
                <label class="field">
                  <span class="field-label">{t().from}</span>
                  <input
                    type="datetime-local"
                    value={form.draft().from}
                    data-testid="log-filter-from"
                    onInput={input('from')}
                  />
                </label>
                <label class="field">
                  <span class="field-label">{t().to}</span>
                  <input
                    type="datetime-local"
                    value={form.draft().to}
                    data-testid="log-filter-to"
                    onInput={input('to')}
                  />
                </label>
                <div class="filter-buttons">
                  <button type="submit" data-testid="log-apply">
                    {t().apply}
                  </button>
                  <button type="button" class="secondary" onClick={() => form.reset()}>
                    {adminWords().reset}
                  </button>
                </div>
              </form>
              <FormMessage error={form.error()} />
            </>
          );
        }}
        totals={(totals) => (
          <dl class="stats" data-testid="log-stats">
            <div>
              <dt>{t().statsQuota}</dt>
              <dd data-testid="log-stats-quota">{formatQuota(totals.quota)}</dd>
            </div>
            <div>
              <dt>{t().statsRequests}</dt>
              <dd data-testid="log-stats-requests">{formatNumber(totals.requests)}</dd>
            </div>
            <div>
              <dt>{t().statsPrompt}</dt>
              <dd>{formatNumber(totals.promptTokens)}</dd>
            </div>
            <div>
              <dt>{t().statsCompletion}</dt>
              <dd>{formatNumber(totals.completionTokens)}</dd>
            </div>
          </dl>
        )}
        tableClass="admin-table"
        head={
          <>
            <th scope="col">{t().time}</th>
            <th scope="col">{t().type}</th>
            <th scope="col">{t().username}</th>
            <th scope="col">{t().tokenName}</th>
            <th scope="col">{t().model}</th>
            <th scope="col">{t().channel}</th>
            <th scope="col">{t().tokens}</th>
            <th scope="col">{t().quota}</th>
            <th scope="col">{t().timing}</th>
            <th scope="col">{t().details}</th>
          </>
        }
        row={(log) => (
          <tr data-testid="log-row" data-id={log.id}>
            <td class="nowrap">{formatWhen(log.createdAt)}</td>
            <td>
              <StatusBadge
                tone={TYPE_TONE[log.type] ?? 'info'}
                label={
                  LOG_TYPES.find((type) => type.value === log.type)?.label() ?? String(log.type)
                }
              />
            </td>
            <td class="nowrap">{log.username}</td>
            <td>{log.tokenName || '—'}</td>
            <td class="nowrap">{log.model || '—'}</td>
            <td class="num">{log.channelId || '—'}</td>
            <td class="num" title={t().tokensTitle}>
              {formatNumber(log.promptTokens)} + {formatNumber(log.completionTokens)}
            </td>
            <td class="num">{formatQuota(log.quota)}</td>
            <td class="num nowrap">
              <Show when={log.type === 2} fallback="—">
                {t().timingValue(log.ttftMs, log.durationMs)}
                <Show when={log.isStream}>
                  <small class="sub">{t().stream}</small>
                </Show>
              </Show>
            </td>
            <td class="details">
              <Show when={log.content}>
                <span class="clamp" title={log.content}>
                  {log.content}
                </span>
              </Show>
              <Show when={log.requestId}>
                <small class="sub" title={t().requestId}>
                  {log.requestId}
                </small>
              </Show>
            </td>
          </tr>
        )}
        none={t().noLogs}
      />
    </section>
  );
}
