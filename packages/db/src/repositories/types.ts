/** Publishes cache invalidations to every node (after the write is committed). */
export type Invalidate = (keys: string[]) => Promise<void>;

export interface PageRequest {
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** LIMIT/OFFSET of a page; nothing (every row) without one. */
export function pageWindow(page: PageRequest | undefined): { limit?: number; offset?: number } {
  return page ? { limit: page.pageSize, offset: (page.page - 1) * page.pageSize } : {};
}

export interface Page<T> {
  items: T[];
  total: number;
}
