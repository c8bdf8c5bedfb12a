/** Cuts a token to `maxChars` characters (not splitting a surrogate pair), with an ellipsis and the length. */
export function shortToken(token: string, maxChars: number): string {
  if (token.length <= maxChars) return token;
  const chars = Array.from(token);
  if (chars.length <= maxChars) return token;
  return `${chars.slice(0, maxChars - 1).join('')}… (${chars.length.toLocaleString('en-US')} chars)`;
}
