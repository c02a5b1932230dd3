import { describe, expect, it } from 'vitest';
import { multipartTextFields, replaceMultipartField } from './multipart-fields.js';

/** An upload as undici's FormData writes it: the body and its content type. */
async function upload(build: (form: FormData) => void) {
  const form = new FormData();
  build(form);
  const request = new Request('http://upload.test', { method: 'POST', body: form });
  return {
    body: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type') ?? '',
  };
}

describe('multipartTextFields', () => {
  it('reads the text fields by name, a repeated name with each value, files skipped', async () => {
    const { body, contentType } = await upload((form) => {
      form.append('model', ' gpt-image-1 ');
      form.append('image[]', new Blob([Buffer.alloc(32, 9)]), 'a.png');
      form.append('image[]', new Blob([Buffer.alloc(32, 8)]), 'b.png');
      form.append('n', '2');
      form.append('include[]', 'one');
      form.append('include[]', 'two');
    });
    expect(multipartTextFields(body, contentType)).toEqual(
      new Map([
        ['model', ['gpt-image-1']],
        ['n', ['2']],
        ['include[]', ['one', 'two']],
      ]),
    );
  });

  it('does not take a field from inside a file or its filename', async () => {
    const forged = Buffer.from('\r\nContent-Disposition: form-data; name="n"\r\n\r\n1\r\n--x');
    const { body, contentType } = await upload((form) => {
      form.append('image', new Blob([forged]), 'n');
      form.append('n', '10');
    });
    expect(multipartTextFields(body, contentType).get('n')).toEqual(['10']);
  });

  it('splits at the boundary the content type names, as the upstream will', async () => {
    const { body, contentType } = await upload((form) => form.append('n', '10'));
    // A preamble holding a form of another boundary: not part of the upload.
    const preamble = Buffer.from(
      '--other\r\nContent-Disposition: form-data; name="n"\r\n\r\n1\r\n--other--\r\n',
    );
    const fields = multipartTextFields(Buffer.concat([preamble, body]), contentType);
    expect(fields.get('n')).toEqual(['10']);
    expect(multipartTextFields(body, 'multipart/form-data')).toEqual(new Map());
  });
});

describe('replaceMultipartField', () => {
  it('replaces the value only, the file bytes untouched', async () => {
    const image = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
    const { body, contentType } = await upload((form) => {
      form.append('image', new Blob([image]), 'model');
      form.append('model', 'gpt-image-1');
    });
    const replaced = replaceMultipartField(body, contentType, 'model', 'gpt-image-1-2025');
    expect(multipartTextFields(replaced, contentType).get('model')).toEqual(['gpt-image-1-2025']);
    expect(replaced.includes(image)).toBe(true);
    expect(replaced.length).toBe(body.length + '-2025'.length);
  });
});
