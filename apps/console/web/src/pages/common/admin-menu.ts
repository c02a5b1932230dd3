import { adminPages } from '../admin/routes.tsx';

/** Administration pages for the menu: those with parameters are reached from their list. */
export const adminMenuPages = adminPages.filter((page) => !/[:*]/.test(page.path));
