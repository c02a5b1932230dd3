import { Show } from 'solid-js';
import { common } from '../../../lib/i18n.ts';
import type { Channel } from '../components/api-types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { formatQuota } from '../../../lib/format.ts';
import { formatDollars, formatWhen } from '../components/format.ts';
import { StatusBadge, type Tone } from '../components/status-badge.tsx';
import { channelText } from './messages.ts';

/** What the row's buttons last did, kept by the page so a list refresh does not lose it. */
export interface RowState {
  testing?: boolean;
  /** The test's outcome in words: latency, or the upstream's (or the call's) error. */
  test?: { ok: boolean; text: string };
  balancing?: boolean;
  switching?: boolean;
  error?: string;
}

const STATUS: Record<number, { tone: Tone; label: () => string }> = {
  1: { tone: 'ok', label: () => channelText().statusEnabled },
  2: { tone: 'off', label: () => channelText().statusManual },
  3: { tone: 'warn', label: () => channelText().statusAuto },
};

function speedTone(ms: number): Tone {
  if (ms < 1000) return 'ok';
  return ms < 3000 ? 'warn' : 'off';
}

export function ChannelRow(props: {
  channel: Channel;
  typeLabel: string;
  state: RowState;
  onTest: () => void;
  onBalance: () => void;
  onToggle: () => void;
  onEdit: () => void;
  onDelete: () => Promise<unknown>;
}) {
  const t = channelText;
  const c = () => props.channel;
  const status = () =>
    STATUS[c().status] ?? { tone: 'info' as Tone, label: () => String(c().status) };
  const enabled = () => c().status === 1;

  return (
    <tr data-testid="channel-row" data-id={c().id}>
      <td>{c().id}</td>
      <td>
        <strong>{c().name}</strong>
        <small class="sub" title={c().models.join(', ')}>
          {c().models.slice(0, 3).join(', ')}
          {c().models.length > 3 ? ` +${c().models.length - 3}` : ''}
        </small>
      </td>
      <td>{props.typeLabel}</td>
      <td>
        <StatusBadge tone={status().tone} label={status().label()} testId="channel-status" />
      </td>
      <td class="num">{c().priority}</td>
      <td class="num">{c().weight}</td>
      <td class="num" title={c().testTime ? t().testedAt(formatWhen(c().testTime)) : t().notTested}>
        <Show when={c().testTime} fallback="—">
          <StatusBadge tone={speedTone(c().responseTime)} label={`${c().responseTime} ms`} />
        </Show>
      </td>
      <td class="num">
        <span title={formatWhen(c().balanceUpdatedTime)}>
          {c().balanceUpdatedTime ? formatDollars(c().balance) : '—'}
        </span>{' '}
        <button
          type="button"
          class="link"
          aria-label={`${t().refreshBalance}: ${c().name}`}
          title={t().refreshBalance}
          disabled={props.state.balancing}
          data-testid="channel-balance"
          onClick={() => props.onBalance()}
        >
          ↻
        </button>
      </td>
      <td class="num">{formatQuota(c().usedQuota)}</td>
      <td class="row-actions">
        <div class="buttons">
          <button
            type="button"
            class="small"
            title={t().testTitle(c().models[0] ?? '')}
            disabled={props.state.testing}
            data-testid="channel-test"
            onClick={() => props.onTest()}
          >
            {props.state.testing ? t().testing : t().test}
          </button>
          <button
            type="button"
            class="secondary small"
            disabled={props.state.switching}
            data-testid="channel-toggle"
            onClick={() => props.onToggle()}
          >
            {enabled() ? common().disable : common().enable}
          </button>
          <button
            type="button"
            class="secondary small"
            data-testid="channel-edit"
            onClick={() => props.onEdit()}
          >
            {common().edit}
          </button>
          <ConfirmButton
            label={common().delete}
            title={t().deleteTitle}
            message={common().confirmDelete(c().name)}
            confirmLabel={common().delete}
            testId="channel-delete"
            onConfirm={props.onDelete}
          />
        </div>
        <Show when={props.state.test}>
          {(test) => (
            <p
              class={test().ok ? 'test-result ok' : 'test-result failed'}
              role="status"
              data-testid="channel-test-result"
              data-ok={String(test().ok)}
            >
              {test().text}
            </p>
          )}
        </Show>
        <Show when={props.state.error}>
          <p class="error" role="alert" data-testid="channel-row-error">
            {props.state.error}
          </p>
        </Show>
      </td>
    </tr>
  );
}
