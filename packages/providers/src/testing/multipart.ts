import { createHash } from 'node:crypto';

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A file of an upload, as the fake recorded it. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType?: string;
  size: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** A multipart/form-data upload: text fields (a repeated name gives an array) and files. */
export interface RecordedForm {
  fields: Record<string, string | string[]>;
  files: RecordedFile[];
}

const HEADERS_END = Buffer.from('\r\n\r\n');

/**
 * The parts of a multipart/form-data body (RFC 7578), enough for the uploads OpenAI's
 * audio endpoints take; [] when the content type names no boundary.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  // After the first part, each delimiter starts on a new line.
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const afterDelimiter = at + delimiter.length;
    if (body.toString('latin1', afterDelimiter, afterDelimiter + 2) === '--') break;
    const headersStart = afterDelimiter + 2;
    const headersEnd = body.indexOf(HEADERS_END, headersStart);
    if (headersEnd === -1) break;
    const end = body.indexOf(nextDelimiter, headersEnd + HEADERS_END.length);
    if (end === -1) break;
    const part = partHeaders(body.toString('utf8', headersStart, headersEnd));
    if (part) parts.push({ ...part, data: body.subarray(headersEnd + HEADERS_END.length, end) });
    at = end + 2;
  }
  return parts;
}

/** What a test wants to know of an upload: its fields, and each file's name, size and hash. */
export function recordForm(parts: MultipartPart[]): RecordedForm {
  const form: RecordedForm = { fields: {}, files: [] };
  for (const { name, filename, contentType, data } of parts) {
    if (filename === undefined) {
      const value = data.toString('utf8');
      const seen = form.fields[name];
      form.fields[name] = seen === undefined ? value : [seen, value].flat();
      continue;
    }
    const sha256 = createHash('sha256').update(data).digest('hex');
    form.files.push({ field: name, filename, contentType, size: data.length, sha256 });
  }
  return form;
}

function partHeaders(text: string): Omit<MultipartPart, 'data'> | undefined {
  let disposition = '';
  let contentType: string | undefined;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    if (name === 'content-type') contentType = value;
  }
  const params = new Map<string, string>();
  for (const [, key, quoted, bare] of disposition.matchAll(
    /;\s*([\w*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g,
  )) {
    if (key) params.set(key.toLowerCase(), quoted?.replace(/\\(.)/g, '$1') ?? bare?.trim() ?? '');
  }
  const name = params.get('name');
  if (name === undefined) return undefined;
  const filename = params.get('filename');
  return {
    name,
    ...(filename !== undefined ? { filename } : {}),
    ...(contentType ? { contentType } : {}),
  };
}
