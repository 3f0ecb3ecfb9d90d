/**
 * Where a JSON text is broken, without quoting it. V8's own messages quote the first bytes of
 * the text (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`), and a mistyped path can
 * point at any file on the machine: a password file, a key. Only the position is kept.
 */
export function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `a JSON syntax error at position ${position}`;
  if (/end of (JSON )?input/i.test(message)) return 'JSON that ends too early';
  return 'not JSON';
}
