const MASK = '***';
/** Fragments at least this long are treated as part of the key when an upstream echoes it. */
const FRAGMENT = 12;

/**
 * Removes a secret from text meant for people: the secret itself, and any word carrying a long
 * piece of it (upstreams echo keys whole or in part, e.g. "Incorrect API key provided: sk-…").
 */
export function scrubSecret(text: string, secret: string): string {
  const key = secret.trim();
  if (!key) return text;
  const scrubbed = text.split(key).join(MASK);
  if (key.length < FRAGMENT) return scrubbed;
  return scrubbed.replace(/\S+/g, (word) => (sharesFragment(word, key) ? MASK : word));
}

function sharesFragment(word: string, key: string): boolean {
  if (word.length < FRAGMENT) return false;
  for (let i = 0; i + FRAGMENT <= key.length; i++) {
    if (word.includes(key.slice(i, i + FRAGMENT))) return true;
  }
  return false;
}

/** Text from a channel's upstream, made fit for its client: without the key or the address. */
export function scrubChannel(channel: { key: string; baseUrl: string }, text: string): string {
  const scrubbed = scrubSecret(text, channel.key);
  return channel.baseUrl ? scrubbed.split(channel.baseUrl).join('(upstream)') : scrubbed;
}
