import { createSignal, Show } from 'solid-js';
import { Field } from '../../components/field.tsx';
import { createAction } from '../../lib/action.ts';
import { formatQuota } from '../../lib/format.ts';
import { defineMessages } from '../../lib/i18n.ts';
import { currentUser, refreshMe } from '../../lib/session.ts';
import { site } from '../../lib/site.ts';
import { api } from '../../lib/trpc.ts';

const t = defineMessages({
  en: {
    title: 'Redeem a code',
    intro: 'A redemption code adds quota to your account. Each code works once.',
    code: 'Redemption code',
    submit: 'Redeem',
    busy: 'Redeeming…',
    required: 'Enter a code.',
    tooLong: 'A code has at most 128 characters.',
    added: (quota: string) => `Added ${quota} to your account.`,
    balance: 'Your remaining quota:',
    buy: 'Get a redemption code',
  },
  zh: {
    title: '兑换额度',
    intro: '兑换码可为账号增加额度，每个兑换码只能使用一次。',
    code: '兑换码',
    submit: '兑换',
    busy: '兑换中…',
    required: '请输入兑换码。',
    tooLong: '兑换码最多 128 个字符。',
    added: (quota: string) => `已为你的账号增加 ${quota} 额度。`,
    balance: '当前剩余额度：',
    buy: '获取兑换码',
  },
});

export function RedeemPage() {
  const [code, setCode] = createSignal('');
  const [problem, setProblem] = createSignal('');
  const [added, setAdded] = createSignal<number | null>(null);
  const action = createAction();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setAdded(null);
    const key = code().trim();
    setProblem(!key ? t().required : key.length > 128 ? t().tooLong : '');
    if (problem()) return;
    const result = await action.run(() => api.redemption.redeem.mutate({ key }));
    if (!result) return;
    setAdded(result.quota);
    setCode('');
    void refreshMe();
  }

  return (
    <section class="page narrow-page">
      <header class="page-head">
        <h1>{t().title}</h1>
      </header>
      <div class="card">
        <p>{t().intro}</p>
        <p class="balance">
          {t().balance}{' '}
          <strong data-testid="quota-remaining">{formatQuota(currentUser()?.quota ?? 0)}</strong>
        </p>
        <form onSubmit={submit} novalidate>
          <Field label={t().code} error={problem()}>
            <input
              name="key"
              autocomplete="off"
              spellcheck={false}
              aria-invalid={Boolean(problem())}
              value={code()}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </Field>
          <Show when={action.error()}>
            <p class="error" role="alert" data-testid="redeem-error">
              {action.error()}
            </p>
          </Show>
          <Show when={added() !== null}>
            <p class="success" role="status" data-testid="redeem-result">
              {t().added(formatQuota(added() ?? 0))}
            </p>
          </Show>
          <button type="submit" data-testid="redeem-submit" disabled={action.busy()}>
            {action.busy() ? t().busy : t().submit}
          </button>
        </form>
        <Show when={/^https?:\/\//i.test(site().topUpLink)}>
          <p class="aside">
            <a href={site().topUpLink} target="_blank" rel="noopener noreferrer">
              {t().buy}
            </a>
          </p>
        </Show>
      </div>
    </section>
  );
}
