const LINE_BREAK = /\r\n|\r|\n/;

/**
 * The `data` of one server-sent event, its data lines joined with `\n` as the SSE spec
 * says; undefined for an event with no data line (a `: keep-alive` comment, a lone
 * `event:` or `id:` line).
 */
export function sseEventData(event: Buffer): string | undefined {
  const text = event.toString('utf8');
  // Nearly every upstream ends its lines with `\n` alone: walk those without splitting.
  if (text.includes('\r')) return dataOfLines(text.split(LINE_BREAK));
  let data: string | undefined;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (text.startsWith('data', start)) {
      const value = dataValue(text.slice(start, end));
      if (value !== undefined) data = data === undefined ? value : `${data}\n${value}`;
    }
    start = end + 1;
  }
  return data;
}

function dataOfLines(lines: string[]): string | undefined {
  let data: string | undefined;
  for (const line of lines) {
    const value = line.startsWith('data') ? dataValue(line) : undefined;
    if (value !== undefined) data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}

/** The value of a line starting with `data`, or undefined when it is another field. */
function dataValue(line: string): string | undefined {
  const colon = line.indexOf(':');
  // `data` with no colon is a data line with an empty value; `database: x` is not one.
  if (colon === -1) return line === 'data' ? '' : undefined;
  if (colon !== 4) return undefined;
  return line.slice(line[5] === ' ' ? 6 : 5);
}
