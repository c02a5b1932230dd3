import { createMemo, createResource, createSignal, onCleanup, Show } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { AsyncView } from '../../components/async-view.tsx';
import { Field } from '../../components/field.tsx';
import { ADMIN_ROLE } from '../../components/require-admin.tsx';
import { createAction } from '../../lib/action.ts';
import { formatNumber, formatQuota } from '../../lib/format.ts';
import { currentUser, refreshMe } from '../../lib/session.ts';
import { site } from '../../lib/site.ts';
import { api } from '../../lib/trpc.ts';
import { topUpText as t } from './messages.ts';
import { bonusPercent, formatMoney, quotaFor } from './price.ts';
import { TopUpHistory } from './top-up-history.tsx';

type TopUpOptions = Awaited<ReturnType<typeof api.topUp.options.query>>;

/** Units in, price and quota out; the button sends the buyer to Stripe's Checkout page. */
function BuyForm(props: { options: TopUpOptions }) {
  const [text, setText] = createSignal(String(props.options.minUnits));
  const [showError, setShowError] = createSignal(false);
  const action = createAction();
  const units = () => Number(text().trim());
  const problem = () => {
    const value = units();
    if (text().trim() === '' || !Number.isInteger(value)) return t().wholeNumber;
    if (value < props.options.minUnits) return t().atLeast(props.options.minUnits);
    if (value > props.options.maxUnits) return t().atMost(formatNumber(props.options.maxUnits));
    return '';
  };
  const quote = createMemo(() => {
    if (problem()) return undefined;
    const percent = bonusPercent(props.options.bonusTiers, units());
    return {
      price: formatMoney(units() * props.options.unitPrice, props.options.currency),
      percent,
      quota: quotaFor(units(), props.options.quotaPerUnit, percent),
    };
  });

  async function pay(event: SubmitEvent) {
    event.preventDefault();
    setShowError(true);
    if (problem()) return;
    const result = await action.run(() => api.topUp.create.mutate({ units: units() }));
    if (result) window.location.assign(result.url);
  }

  return (
    <form onSubmit={pay} novalidate>
      <Field
        label={t().units}
        error={showError() ? problem() : ''}
        hint={`${t().unitPrice(formatMoney(props.options.unitPrice, props.options.currency))} · ${t().unitsHint(props.options.minUnits, formatNumber(props.options.maxUnits))}`}
      >
        <input
          name="units"
          type="number"
          inputmode="numeric"
          min={props.options.minUnits}
          max={props.options.maxUnits}
          step="1"
          value={text()}
          aria-invalid={showError() && Boolean(problem())}
          data-testid="top-up-units"
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </Field>
      <Show when={props.options.bonusTiers.length > 0}>
        <p class="hint" data-testid="top-up-tiers">
          {t().tiers}{' '}
          {props.options.bonusTiers
            .map((tier) => t().tier(formatNumber(tier.units), tier.percent))
            .join(' · ')}
        </p>
      </Show>
      <Show when={quote()}>
        {(q) => (
          <dl class="stats" aria-live="polite">
            <div>
              <dt>{t().youPay}</dt>
              <dd data-testid="top-up-price">{q().price}</dd>
            </div>
            <div>
              <dt>{t().youGet}</dt>
              <dd data-testid="top-up-quota">
                {formatQuota(q().quota)}
                <Show when={q().percent > 0}>
                  <small class="sub">{t().bonus(q().percent)}</small>
                </Show>
              </dd>
            </div>
          </dl>
        )}
      </Show>
      <Show when={action.error()}>
        <p class="error" role="alert" data-testid="top-up-error">
          {action.error()}
        </p>
      </Show>
      <button type="submit" data-testid="top-up-pay" disabled={action.busy()}>
        {action.busy() ? t().redirecting : t().pay}
      </button>
    </form>
  );
}

/** Online top-up: buy quota through Stripe Checkout, and the history of top-ups. */
export function TopUpPage() {
  const [params] = useSearchParams();
  const [options, { refetch }] = createResource(() => api.topUp.options.query());
  const isAdmin = () => (currentUser()?.role ?? 0) >= ADMIN_ROLE;
  const returned = () => (typeof params.status === 'string' ? params.status : '');
  // Back from Stripe: the webhook usually lands within seconds, so read again a few times.
  const [version, setVersion] = createSignal(0);
  if (returned() === 'success') {
    const timers = [2_000, 6_000, 15_000].map((ms) =>
      setTimeout(() => {
        setVersion((v) => v + 1);
        void refreshMe();
      }, ms),
    );
    onCleanup(() => timers.forEach(clearTimeout));
  }

  return (
    <section class="page narrow-page">
      <header class="page-head">
        <h1>{t().title}</h1>
      </header>
      <div class="card">
        <Show when={returned() === 'success'}>
          <p class="success" role="status" data-testid="top-up-paid">
            {t().paid}
          </p>
        </Show>
        <Show when={returned() === 'cancelled'}>
          <p class="notice" role="status" data-testid="top-up-cancelled">
            {t().cancelled}
          </p>
        </Show>
        <p class="balance">
          {t().balance}{' '}
          <strong data-testid="quota-remaining">{formatQuota(currentUser()?.quota ?? 0)}</strong>
        </p>
        <AsyncView resource={options} retry={() => void refetch()}>
          {(loaded) => (
            <Show
              when={loaded.enabled}
              fallback={
                <p class="notice" data-testid="top-up-off">
                  {t().off}
                </p>
              }
            >
              <p>{t().intro}</p>
              <BuyForm options={loaded} />
            </Show>
          )}
        </AsyncView>
        <p class="aside">
          {t().otherWays} <A href="/redeem">{t().redeem}</A>
          <Show when={/^https?:\/\//i.test(site().topUpLink)}>
            {' · '}
            <a href={site().topUpLink} target="_blank" rel="noopener noreferrer">
              {t().buyCode}
            </a>
          </Show>
        </p>
      </div>
      <TopUpHistory admin={isAdmin()} version={version()} />
    </section>
  );
}
