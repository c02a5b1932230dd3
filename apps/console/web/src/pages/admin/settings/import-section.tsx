import { createSignal, Show } from 'solid-js';
import { Field } from '../../../components/field.tsx';
import { createAction } from '../../../lib/action.ts';
import { defineMessages } from '../../../lib/i18n.ts';
import { api } from '../../../lib/trpc.ts';
import { FormMessage } from '../components/form-message.tsx';
import { settingsText } from './messages.ts';

const t = defineMessages({
  en: {
    hint: 'Bring users, channels, API keys (they keep working: only the base URL changes for clients), redemption codes and settings over from a One API or New API database this server can reach. Running it again imports nothing twice.',
    from: 'Database to import from',
    fromHint:
      'A SQLite file on this server (e.g. /data/one-api.db), or a DSN: postgres://user:pass@host:5432/oneapi, user:pass@tcp(host:3306)/oneapi',
    dryRun: 'Dry run: report what would be imported, write nothing',
    logs: 'Also import the request logs (can be large)',
    run: 'Import',
    check: 'Check (dry run)',
    busy: 'Working…',
    done: 'Imported.',
    checked: 'Nothing was written; this is what an import would do.',
    required: 'Name a SQLite file or a DSN.',
  },
  zh: {
    hint: '从本服务器可访问的 One API 或 New API 数据库导入用户、渠道、API 密钥（客户端只需更换 Base URL，密钥照常可用）、兑换码和设置。重复运行不会重复导入。',
    from: '要导入的数据库',
    fromHint:
      '本服务器上的 SQLite 文件（如 /data/one-api.db），或 DSN：postgres://user:pass@host:5432/oneapi、user:pass@tcp(host:3306)/oneapi',
    dryRun: '试运行：只报告将导入的内容，不写入',
    logs: '同时导入请求日志（可能很大）',
    run: '导入',
    check: '检查（试运行）',
    busy: '处理中…',
    done: '导入完成。',
    checked: '未写入任何数据；以下是导入将会执行的内容。',
    required: '请填写 SQLite 文件路径或 DSN。',
  },
});

/** A One API / New API import from the console (`npm run import` for root), with its report. */
export function ImportSection() {
  const [from, setFrom] = createSignal('');
  const [dryRun, setDryRun] = createSignal(true);
  const [logs, setLogs] = createSignal(false);
  const [invalid, setInvalid] = createSignal('');
  const [result, setResult] = createSignal<{ text: string; dryRun: boolean }>();
  const action = createAction();

  async function run(event: SubmitEvent) {
    event.preventDefault();
    setInvalid(from().trim() ? '' : t().required);
    if (invalid()) return;
    setResult(undefined);
    const answer = await action.run(() =>
      api.legacyImport.run.mutate({ from: from().trim(), dryRun: dryRun(), includeLogs: logs() }),
    );
    if (answer) setResult({ text: answer.text, dryRun: answer.report.dryRun });
  }

  return (
    <section class="settings-section" aria-labelledby="settings-import">
      <h2 id="settings-import" tabindex="-1">
        {settingsText().sections.import}
      </h2>
      <p class="hint">{t().hint}</p>
      <form class="admin-form" novalidate onSubmit={run}>
        <Field label={t().from} hint={t().fromHint} error={invalid() || undefined}>
          <input
            value={from()}
            autocomplete="off"
            spellcheck={false}
            data-testid="import-from"
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </Field>
        <label class="check">
          <input
            type="checkbox"
            checked={dryRun()}
            data-testid="import-dry-run"
            onChange={(e) => setDryRun(e.currentTarget.checked)}
          />
          {t().dryRun}
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={logs()}
            onChange={(e) => setLogs(e.currentTarget.checked)}
          />
          {t().logs}
        </label>
        <FormMessage
          error={action.error()}
          success={result() ? (result()!.dryRun ? t().checked : t().done) : ''}
        />
        <Show when={result()}>
          {(shown) => (
            <pre class="import-report" data-testid="import-report">
              {shown().text}
            </pre>
          )}
        </Show>
        <div class="actions">
          <button type="submit" disabled={action.busy()} data-testid="import-run">
            {action.busy() ? t().busy : dryRun() ? t().check : t().run}
          </button>
        </div>
      </form>
    </section>
  );
}
