import { createSignal } from 'solid-js';

export type Locale = 'en' | 'zh';

const STORAGE_KEY = 'chat-api.locale';

/** The saved choice, else the browser's language. */
function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());
document.documentElement.lang = locale() === 'zh' ? 'zh-CN' : 'en';

export { locale };

export function setLocale(next: Locale): void {
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  setLocaleSignal(next);
}

/**
 * A page's texts in both languages, kept next to the page; the accessor follows the chosen
 * language, so `t().title` re-renders when it changes. Both languages must have every key.
 */
export function defineMessages<T>(messages: { en: T; zh: NoInfer<T> }): () => T {
  return () => messages[locale()];
}

/** Words every page uses. */
export const common = defineMessages({
  en: {
    loading: 'Loading…',
    retry: 'Retry',
    save: 'Save',
    saving: 'Saving…',
    cancel: 'Cancel',
    close: 'Close',
    create: 'Create',
    edit: 'Edit',
    delete: 'Delete',
    confirm: 'Confirm',
    confirmDelete: (name: string) => `Delete ${name}? This cannot be undone.`,
    enable: 'Enable',
    disable: 'Disable',
    enabled: 'Enabled',
    disabled: 'Disabled',
    actions: 'Actions',
    search: 'Search',
    copy: 'Copy',
    copied: 'Copied',
    previous: 'Previous',
    next: 'Next',
    pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
    total: (count: number) => `${count} in total`,
    empty: 'Nothing here yet.',
    never: 'Never',
    unlimited: 'Unlimited',
    required: 'Required',
    pagination: 'Pagination',
    copyFailed: 'Cannot copy here; select the text and copy it by hand.',
    unreachable: (detail: string) => `Cannot reach the console server (${detail}).`,
  },
  zh: {
    loading: '加载中…',
    retry: '重试',
    save: '保存',
    saving: '保存中…',
    cancel: '取消',
    close: '关闭',
    create: '新建',
    edit: '编辑',
    delete: '删除',
    confirm: '确认',
    confirmDelete: (name: string) => `确定删除 ${name} 吗？此操作无法撤销。`,
    enable: '启用',
    disable: '禁用',
    enabled: '已启用',
    disabled: '已禁用',
    actions: '操作',
    search: '搜索',
    copy: '复制',
    copied: '已复制',
    previous: '上一页',
    next: '下一页',
    pageOf: (page: number, pages: number) => `第 ${page} / ${pages} 页`,
    total: (count: number) => `共 ${count} 条`,
    empty: '暂无数据。',
    never: '永不',
    unlimited: '无限',
    required: '必填',
    pagination: '分页',
    copyFailed: '无法自动复制，请手动选中文本复制。',
    unreachable: (detail: string) => `无法连接控制台服务器（${detail}）。`,
  },
});
