import { locale, setLocale, type Locale } from '../lib/i18n.ts';

/** English / 中文, on every page; each name in its own language so anyone can find theirs. */
export function LanguageSelect() {
  return (
    <select
      class="language"
      data-testid="language"
      aria-label="Language / 语言"
      value={locale()}
      onChange={(e) => setLocale(e.currentTarget.value as Locale)}
    >
      <option value="en">English</option>
      <option value="zh">中文</option>
    </select>
  );
}
