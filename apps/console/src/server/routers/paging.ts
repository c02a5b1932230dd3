import { z } from 'zod';
import { plainText } from './plain-text.js';

/** List input where paging is optional: without page or pageSize, every match comes back. */
export const optionalPagingInput = z
  .object({
    page: z.number().int().min(1).optional(),
    pageSize: z.number().int().min(1).max(100).optional(),
    keyword: plainText(z.string().max(64)).optional(),
  })
  .optional();

type OptionalPaging = NonNullable<z.infer<typeof optionalPagingInput>>;

/** The repository's list filter for that input. */
export function listRequest({ page, pageSize, keyword }: OptionalPaging) {
  const paged = page !== undefined || pageSize !== undefined;
  return {
    ...(keyword ? { keyword } : {}),
    ...(paged ? { page: { page: page ?? 1, pageSize: pageSize ?? 20 } } : {}),
  };
}
