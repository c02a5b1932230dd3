/** Unix seconds, the unit of every time column. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
