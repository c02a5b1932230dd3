import { Show } from 'solid-js';
import { formatDuration, formatQuota, formatTime } from '../../lib/format.ts';
import { common } from '../../lib/i18n.ts';
import type { Token } from './key-settings.ts';
import { keyText } from './messages.ts';

const STATUS_CLASS: Record<number, string> = { 1: 'ok', 2: 'muted', 3: 'bad', 4: 'warn' };

function expiryText(token: Token): string {
  if (token.expiryMode === 'first_use') {
    return token.firstUsedTime > 0
      ? keyText().until(formatTime(token.firstUsedTime + token.durationSeconds))
      : keyText().startsAtFirstUse(formatDuration(token.durationSeconds));
  }
  return token.expiredTime === -1
    ? keyText().never
    : keyText().until(formatTime(token.expiredTime));
}

/** One key in the list: its settings at a glance and its actions (each named with the key). */
export function KeyRow(props: {
  token: Token;
  busy: boolean;
  onEdit: () => void;
  onToggle: () => void;
  onRegenerate: () => void;
  onDelete: () => void;
}) {
  return (
    <tr data-testid="key-row" data-key-name={props.token.name}>
      <td data-label={keyText().name}>
        <strong>{props.token.name}</strong>
        <span class="sub">sk-…{props.token.keyHint}</span>
      </td>
      <td data-label={keyText().status}>
        <span class={`badge ${STATUS_CLASS[props.token.status] ?? ''}`} data-testid="key-status">
          {keyText().statuses[props.token.status] ?? props.token.status}
        </span>
      </td>
      <td data-label={keyText().remaining}>
        <span data-testid="key-remaining">
          {props.token.unlimitedQuota ? common().unlimited : formatQuota(props.token.remainQuota)}
        </span>
        <span class="sub">{keyText().used(formatQuota(props.token.usedQuota))}</span>
      </td>
      <td data-label={keyText().expiry} data-testid="key-expiry">
        {expiryText(props.token)}
      </td>
      <td data-label={keyText().limits}>
        <span class="sub">
          {props.token.models.length
            ? keyText().models(props.token.models.join(', '))
            : keyText().allModels}
        </span>
        <Show when={props.token.subnets.length}>
          <span class="sub">{keyText().subnets(props.token.subnets.join(', '))}</span>
        </Show>
        <Show when={props.token.group}>
          <span class="sub">{keyText().group(props.token.group)}</span>
        </Show>
      </td>
      <td data-label={common().actions}>
        <div class="row-actions">
          <button
            type="button"
            class="secondary small"
            data-testid="key-edit"
            aria-label={`${common().edit} ${props.token.name}`}
            onClick={() => props.onEdit()}
          >
            {common().edit}
          </button>
          <button
            type="button"
            class="secondary small"
            data-testid="key-toggle"
            aria-label={`${props.token.status === 1 ? common().disable : common().enable} ${props.token.name}`}
            disabled={props.busy}
            onClick={() => props.onToggle()}
          >
            {props.token.status === 1 ? common().disable : common().enable}
          </button>
          <button
            type="button"
            class="secondary small"
            data-testid="key-regenerate"
            aria-label={`${keyText().regenerate} ${props.token.name}`}
            onClick={() => props.onRegenerate()}
          >
            {keyText().regenerate}
          </button>
          <button
            type="button"
            class="danger small"
            data-testid="key-delete"
            aria-label={`${common().delete} ${props.token.name}`}
            onClick={() => props.onDelete()}
          >
            {common().delete}
          </button>
        </div>
      </td>
    </tr>
  );
}
