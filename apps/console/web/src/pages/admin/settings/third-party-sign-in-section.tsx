import { For } from 'solid-js';
import { CopyButton } from '../../../components/copy-button.tsx';
import { defineMessages } from '../../../lib/i18n.ts';
import { createFieldDraft, createSectionSave, FieldGrid, SectionFrame } from './fields-section.tsx';
import { THIRD_PARTY_FIELDS } from './sections.ts';

const t = defineMessages({
  en: {
    callbacks: 'Callback URLs to register at the provider',
    callbacksHint:
      'The console’s address as this browser reached it. If people open the console at another address (a domain behind a reverse proxy), register that one instead.',
  },
  zh: {
    callbacks: '需在身份提供方登记的回调地址',
    callbacksHint:
      '即本浏览器访问控制台所用的地址。如果用户通过其他地址（如反向代理后的域名）访问控制台，请登记那个地址。',
  },
});

const CALLBACKS = [
  { provider: 'github', name: 'GitHub' },
  { provider: 'oidc', name: 'OpenID Connect' },
];

/** GitHub and OpenID Connect sign-in, saved together, with the callback URLs to register. */
export function ThirdPartySignInSection(props: {
  values: Record<string, string>;
  onSaved: (changed: Record<string, string>) => void;
}) {
  const form = createFieldDraft(THIRD_PARTY_FIELDS, props.values);
  const section = createSectionSave({
    id: 'thirdParty',
    invalid: () => form.errors().size > 0,
    changed: () => form.changed(props.values),
    onSaved: (changed) => props.onSaved(changed),
  });
  // The server builds redirect_uri from the address the browser used, as this does.
  const callbackUrl = (provider: string) => `${location.origin}/api/oauth/${provider}/callback`;

  return (
    <SectionFrame
      id="thirdParty"
      busy={section.busy()}
      error={section.error()}
      success={section.success()}
      onSubmit={() => void section.save()}
    >
      <FieldGrid
        fields={THIRD_PARTY_FIELDS}
        form={form}
        showErrors={section.showErrors()}
        onEdit={() => section.setSuccess('')}
      />
      <div class="wide">
        <p class="field-label">{t().callbacks}</p>
        <For each={CALLBACKS}>
          {(callback) => (
            <>
              <span>{callback.name}</span>
              <div class="secret">
                <code data-testid={`callback-url-${callback.provider}`}>
                  {callbackUrl(callback.provider)}
                </code>
                <CopyButton text={callbackUrl(callback.provider)} />
              </div>
            </>
          )}
        </For>
        <p class="hint">{t().callbacksHint}</p>
      </div>
    </SectionFrame>
  );
}
