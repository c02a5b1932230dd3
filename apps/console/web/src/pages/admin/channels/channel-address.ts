/** Where a channel sends requests, as stored: its type, base URL and type-specific settings. */
export interface StoredAddress {
  type: string;
  baseUrl: string;
  config: Record<string, unknown>;
}

/** The same, as the form holds it. */
export interface DraftAddress {
  type: string;
  baseUrl: string;
  config: Record<string, string>;
}

/** The type's settings as the form sends them: trimmed, empty ones left out. */
export function draftConfig(
  draft: Pick<DraftAddress, 'config'>,
  configFields: readonly string[],
): Record<string, string> {
  return Object.fromEntries(
    configFields
      .map((name) => [name, (draft.config[name] ?? '').trim()] as const)
      .filter(([, value]) => value !== ''),
  );
}

/**
 * Whether the draft points the channel somewhere else (type, base URL or settings): channel.update
 * then wants the key entered again, unless root saves it.
 */
export function movesChannel(
  stored: StoredAddress,
  draft: DraftAddress,
  configFields: readonly string[],
): boolean {
  if (draft.type !== stored.type) return true;
  if (draft.baseUrl.trim().replace(/\/+$/, '') !== stored.baseUrl) return true;
  const config = draftConfig(draft, configFields);
  const names = new Set([...Object.keys(config), ...Object.keys(stored.config)]);
  return [...names].some((name) => (config[name] ?? '') !== String(stored.config[name] ?? ''));
}
