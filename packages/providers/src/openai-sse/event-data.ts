const LINE_BREAK = /\r\n|\r|\n/;

/**
 * The `data` of one server-sent event, its data lines joined with `\n` as the SSE spec
 * says; undefined for an event with no data line (a `: keep-alive` comment, a lone
 * `event:` or `id:` line).
 */
export function sseEventData(event: Buffer): string | undefined {
  let data: string | undefined;
  for (const line of event.toString('utf8').split(LINE_BREAK)) {
    if (!line.startsWith('data')) continue;
    const colon = line.indexOf(':');
    // `data` with no colon is a data line with an empty value; `database: x` is not one.
    if (colon === -1 ? line !== 'data' : colon !== 4) continue;
    const value = colon === -1 ? '' : line.slice(line[5] === ' ' ? 6 : 5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}
