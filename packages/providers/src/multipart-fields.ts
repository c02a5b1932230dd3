/** Where a text field's value sits in a multipart body: after its part headers, before `\r\n--`. */
function multipartValueRange(body: Buffer, name: string): [number, number] | undefined {
  const at = body.indexOf(Buffer.from(`name="${name}"`));
  if (at === -1) return undefined;
  const headersEnd = body.indexOf('\r\n\r\n', at);
  if (headersEnd === -1) return undefined;
  const valueEnd = body.indexOf('\r\n--', headersEnd + 4);
  return valueEnd === -1 ? undefined : [headersEnd + 4, valueEnd];
}

/**
 * A text field of a multipart/form-data body, without parsing the file parts: the relay only
 * needs the model to route; the upload is forwarded byte for byte.
 */
export function multipartField(body: Buffer, name: string): string | undefined {
  const range = multipartValueRange(body, name);
  return range && body.subarray(range[0], range[1]).toString('utf8').trim();
}

/** The upload with one text field's value replaced (a mapped model); the file bytes untouched. */
export function replaceMultipartField(body: Buffer, name: string, value: string): Buffer {
  const range = multipartValueRange(body, name);
  if (!range) return body;
  return Buffer.concat([body.subarray(0, range[0]), Buffer.from(value), body.subarray(range[1])]);
}
