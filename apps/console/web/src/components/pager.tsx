import { common } from '../lib/i18n.ts';

/** Previous / next over a paged list ({items, total} answers). */
export function Pager(props: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = () => Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav class="pager" aria-label={common().pagination} data-testid="pager">
      <button
        type="button"
        class="secondary small"
        disabled={props.page <= 1}
        onClick={() => props.onPage(props.page - 1)}
      >
        {common().previous}
      </button>
      <span>
        {common().pageOf(props.page, pages())} · {common().total(props.total)}
      </span>
      <button
        type="button"
        class="secondary small"
        disabled={props.page >= pages()}
        onClick={() => props.onPage(props.page + 1)}
      >
        {common().next}
      </button>
    </nav>
  );
}
