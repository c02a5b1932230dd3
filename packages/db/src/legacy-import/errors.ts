/** Why an import cannot start or could not finish; the message is one line for the operator. */
export class LegacyImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LegacyImportError';
  }
}
