import { For } from 'solid-js';
import { CopyButton } from '../../components/copy-button.tsx';
import { Modal } from '../../components/modal.tsx';
import { defineMessages } from '../../lib/i18n.ts';
import { proxyOrigin } from '../../lib/site.ts';

const t = defineMessages({
  en: {
    title: (name: string) => `Your key “${name}”`,
    warning: 'Copy the key now: it is shown only this once. Later you can only regenerate it.',
    key: 'API key',
    copyKey: 'Copy key',
    baseUrl: 'Base URL:',
    curl: 'curl',
    node: 'OpenAI SDK (Node.js)',
    copySnippet: 'Copy snippet',
    done: 'I have copied it',
  },
  zh: {
    title: (name: string) => `密钥“${name}”`,
    warning: '请立即复制密钥：它只显示这一次，之后只能重新生成。',
    key: 'API 密钥',
    copyKey: '复制密钥',
    baseUrl: 'Base URL：',
    curl: 'curl',
    node: 'OpenAI SDK（Node.js）',
    copySnippet: '复制代码',
    done: '我已复制',
  },
});

const PROMPT = 'Hello!';

function curlSnippet(base: string, key: string, model: string): string {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: PROMPT }] });
  return [
    `curl ${base}/v1/chat/completions \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${body}'`,
  ].join('\n');
}

function nodeSnippet(base: string, key: string, model: string): string {
  return [
    `import OpenAI from 'openai';`,
    ``,
    `const client = new OpenAI({ baseURL: '${base}/v1', apiKey: '${key}' });`,
    `const completion = await client.chat.completions.create({`,
    `  model: '${model}',`,
    `  messages: [{ role: 'user', content: '${PROMPT}' }],`,
    `});`,
    `console.log(completion.choices[0].message.content);`,
  ].join('\n');
}

/** A key just created or regenerated, the only time it is visible, with ready-to-run examples. */
export function KeyOnceModal(props: {
  name: string;
  secret: string;
  models: string[];
  onClose: () => void;
}) {
  const base = proxyOrigin();
  const model = props.models[0] ?? 'gpt-4o-mini';
  const snippets = [
    { id: 'curl', label: t().curl, text: curlSnippet(base, props.secret, model) },
    { id: 'node', label: t().node, text: nodeSnippet(base, props.secret, model) },
  ];
  return (
    <Modal
      title={t().title(props.name)}
      onClose={props.onClose}
      keepOnBackdrop
      testId="key-once-dialog"
    >
      <p class="notice">{t().warning}</p>
      <div class="secret">
        <span class="field-label">{t().key}</span>
        <code data-testid="key-once" class="secret-value">
          {props.secret}
        </code>
        <CopyButton text={props.secret} label={t().copyKey} testId="copy-key" />
      </div>
      <p class="hint">
        {t().baseUrl} <code data-testid="proxy-base-url">{base}/v1</code>
      </p>
      <For each={snippets}>
        {(snippet) => (
          <section class="snippet">
            <header class="snippet-head">
              <h3>{snippet.label}</h3>
              <CopyButton
                text={snippet.text}
                label={t().copySnippet}
                testId={`copy-${snippet.id}`}
              />
            </header>
            <pre data-testid={`snippet-${snippet.id}`}>
              <code>{snippet.text}</code>
            </pre>
          </section>
        )}
      </For>
      <div class="actions">
        <button type="button" data-testid="key-once-done" onClick={props.onClose}>
          {t().done}
        </button>
      </div>
    </Modal>
  );
}
