import { createResource, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { AsyncView } from '../../../components/async-view.tsx';
import { common } from '../../../lib/i18n.ts';
import { currentUser, me } from '../../../lib/session.ts';
import { reloadSiteStatus } from '../../../lib/site.ts';
import { api } from '../../../lib/trpc.ts';
import { adminWords } from '../components/messages.ts';
import { FieldsSection } from './fields-section.tsx';
import { ImportSection } from './import-section.tsx';
import { NotificationsSection } from './notifications-section.tsx';
import { settingsText } from './messages.ts';
import { PricesSection } from './prices-section.tsx';
import { FIELD_SECTIONS, otherFields } from './sections.ts';
import { ThirdPartySignInSection } from './third-party-sign-in-section.tsx';
import '../admin.css';

/** Scrolls to a section and moves focus there, without touching the route. */
function jumpTo(id: string) {
  const heading = document.getElementById(`settings-${id}`);
  heading?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  heading?.focus({ preventScroll: true });
}

/**
 * option.list masks every key with "Password" in its name, the two sign-in switches included;
 * their real values are public in option.status, so the switches show the truth.
 */
function unmaskSwitches(
  values: Record<string, string>,
  status: Awaited<ReturnType<typeof api.option.status.query>>,
): Record<string, string> {
  const real: Record<string, boolean> = {
    PasswordLoginEnabled: status.passwordLoginEnabled,
    PasswordRegisterEnabled: status.passwordRegisterEnabled,
  };
  const fixed = { ...values };
  for (const [key, value] of Object.entries(real)) {
    if (fixed[key] !== undefined && fixed[key] !== 'true' && fixed[key] !== 'false') {
      fixed[key] = String(value);
    }
  }
  return fixed;
}

/** The stored options in sections, each saved on its own; root only. */
function SettingsSections(props: { values: Record<string, string> }) {
  // What is stored now: each section compares its draft with it and updates it after a save.
  const [stored, setStored] = createStore<Record<string, string>>({ ...props.values });
  const saved = (changed: Record<string, string>) => {
    setStored(changed);
    // The name, notice and quota unit every page shows come from option.status.
    void reloadSiteStatus();
  };
  const others = otherFields(props.values);

  return (
    <>
      <nav class="section-links" aria-label={settingsText().title}>
        <For
          each={
            [
              'prices',
              ...FIELD_SECTIONS.map((section) => section.id),
              'notifications',
              'thirdParty',
              'import',
            ] as const
          }
        >
          {(id) => (
            <button type="button" class="link" onClick={() => jumpTo(id)}>
              {settingsText().sections[id]}
            </button>
          )}
        </For>
      </nav>
      <PricesSection values={stored} onSaved={saved} />
      <For each={FIELD_SECTIONS}>
        {(section) => (
          <FieldsSection id={section.id} fields={section.fields} values={stored} onSaved={saved} />
        )}
      </For>
      <NotificationsSection values={stored} onSaved={saved} />
      <ThirdPartySignInSection values={stored} onSaved={saved} />
      <Show when={others.length > 0}>
        <FieldsSection id="other" fields={others} values={stored} onSaved={saved} />
      </Show>
      <ImportSection />
    </>
  );
}

/** Settings: readable for root only; others get a message instead of a failed call. */
export function SettingsPage() {
  const isRoot = () => (currentUser()?.role ?? 0) >= 100;
  const [options, { refetch }] = createResource(isRoot, async () => {
    const [values, status] = await Promise.all([
      api.option.list.query(),
      api.option.status.query(),
    ]);
    return unmaskSwitches(values, status);
  });

  return (
    <section class="admin-page" aria-labelledby="settings-title">
      <header class="page-head">
        <h1 id="settings-title">{settingsText().title}</h1>
      </header>
      <Switch>
        <Match when={me.loading && !currentUser()}>
          <p class="loading">{common().loading}</p>
        </Match>
        <Match when={!isRoot()}>
          <p class="notice" role="status" data-testid="settings-root-only">
            {adminWords().rootOnly}
          </p>
        </Match>
        <Match when={isRoot()}>
          <AsyncView resource={options} retry={() => void refetch()}>
            {(values) => <SettingsSections values={values} />}
          </AsyncView>
        </Match>
      </Switch>
    </section>
  );
}
