/** Text helpers for the exporters that derive one generated runtime from another. */

/** `text` with its one occurrence of `part` replaced (throws when it is not there: the runtimes drifted apart). */
export function replaceOnce(text: string, part: string, by: string, what: string): string {
  const at = text.indexOf(part);
  if (at < 0) throw new Error(`${what}: the dense runtime no longer holds the part a convolutional network replaces`);
  return text.slice(0, at) + by + text.slice(at + part.length);
}
