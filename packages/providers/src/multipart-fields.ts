/** A text field of a multipart body: its name and where its value's bytes sit. */
interface TextField {
  name: string;
  start: number;
  end: number;
}

const HEADERS_END = Buffer.from('\r\n\r\n');

/**
 * The text fields of a multipart/form-data body (RFC 7578), found part by part at the boundary
 * its content type names, as the upstream will split it: a `name="model"` inside a file's bytes
 * or a `filename` is not a field. File parts are skipped unread.
 */
function textFields(body: Buffer, contentType: string): TextField[] {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return [];
  const first = Buffer.from(`--${boundary}`);
  // After the first, each delimiter starts on a new line.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields: TextField[] = [];
  let at = body.indexOf(first);
  let after = at + first.length;
  while (at !== -1 && body.toString('latin1', after, after + 2) === '\r\n') {
    const headersEnd = body.indexOf(HEADERS_END, after);
    if (headersEnd === -1) break;
    const start = headersEnd + HEADERS_END.length;
    const end = body.indexOf(delimiter, start);
    if (end === -1) break;
    const name = textFieldName(body.toString('utf8', after + 2, headersEnd));
    if (name !== undefined) fields.push({ name, start, end });
    at = end;
    after = end + delimiter.length;
  }
  return fields;
}

/** The `name` of a part's Content-Disposition; undefined for a file (it has a filename). */
function textFieldName(headers: string): string | undefined {
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const params = new Map<string, string>();
    for (const [, key, quoted, bare] of line
      .slice(colon + 1)
      .matchAll(/;\s*([\w*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
      if (key) params.set(key.toLowerCase(), quoted ?? bare?.trim() ?? '');
    }
    return params.has('filename') ? undefined : params.get('name');
  }
  return undefined;
}

/**
 * The text fields of a multipart/form-data upload by name, each value trimmed (a repeated name
 * keeps each of its values): the relay reads the model and the billed numbers, and forwards the
 * upload byte for byte.
 */
export function multipartTextFields(body: Buffer, contentType: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const { name, start, end } of textFields(body, contentType)) {
    const value = body.toString('utf8', start, end).trim();
    const values = fields.get(name);
    if (values) values.push(value);
    else fields.set(name, [value]);
  }
  return fields;
}

/** The upload with one text field's value replaced (a mapped model); the file bytes untouched. */
export function replaceMultipartField(
  body: Buffer,
  contentType: string,
  name: string,
  value: string,
): Buffer {
  const field = textFields(body, contentType).find((candidate) => candidate.name === name);
  if (!field) return body;
  return Buffer.concat([
    body.subarray(0, field.start),
    Buffer.from(value),
    body.subarray(field.end),
  ]);
}
