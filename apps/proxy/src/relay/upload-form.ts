import { multipartTextFields } from '@chat-api/providers';
import { RelayBadRequest } from './relay-bad-request.js';

/** What the relay reads of an upload: the model it routes by, the numbers the image bill uses. */
const READ_FIELDS = ['model', 'n', 'size', 'quality'] as const;

/**
 * The text fields of a multipart upload that routing and billing read. A field given twice is
 * refused: which value the upstream would take is its own choice, and the bill must not guess.
 */
export function uploadForm(raw: Buffer, contentType: string): Record<string, string> {
  const fields = multipartTextFields(raw, contentType);
  const form: Record<string, string> = {};
  for (const name of READ_FIELDS) {
    const [value, ...more] = fields.get(name) ?? [];
    if (more.length > 0) {
      throw new RelayBadRequest(
        `The form gives \`${name}\` more than once.`,
        'invalid_request_error',
        name,
      );
    }
    if (value !== undefined) form[name] = value;
  }
  return form;
}
