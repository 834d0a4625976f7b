/**
 * Count the characters of text as a reader sees them (Unicode code points), so an emoji counts
 * once, not as the two UTF-16 units of `length`.
 */
export function countCharacters(text: string): number {
  let characters = 0;
  for (const _ of text) characters += 1;
  return characters;
}

/** Cut text longer than `maxLength` characters to that length, ending with "…". */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength - 1).trimEnd()}…`;
}
