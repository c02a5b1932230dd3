/** Publishes cache invalidations to every node (after the write is committed). */
export type Invalidate = (keys: string[]) => Promise<void>;

export interface PageRequest {
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}
