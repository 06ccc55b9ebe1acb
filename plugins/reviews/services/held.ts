/** Why a review (or a reply) must wait for a moderator whatever the settings say, or null. */
export function heldReason(text: string, heldWords: string): string | null {
  if (LINK.test(text)) return 'It contains a link.';
  const lower = text.toLowerCase();
  for (const word of wordsOf(heldWords)) {
    if (matches(lower, word)) return `It contains a held word ("${word}").`;
  }
  return null;
}

/** The setting's words: one per line or comma separated, trimmed, lower case. */
export function wordsOf(setting: string): string[] {
  return setting
    .split(/[\n,]+/)
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
}

const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|io|co|info|biz|ru|cn|xyz|shop|store|fr|de|uk|es|it|nl|eu)\b)/i;

function matches(lower: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Whole words only ("ass" must not hold "class"), Unicode letters counted as word characters.
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(lower);
}
