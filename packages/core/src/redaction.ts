/** Replaces every configured secret (and every text shaped like a credential) with `[redacted]`. */
export type Redact = (text: string) => string;

/** A credential shape to hide even when its value is not configured, and what replaces it. */
export type RedactionPattern = readonly [pattern: RegExp, replacement: string];

/**
 * Shapes of credentials that an HTTP API or an SDK may echo back: the value after an
 * `Authorization` header name, a bearer token. Packages add their own (AWS access key ids...).
 */
export const CREDENTIAL_PATTERNS: readonly RedactionPattern[] = [
  [/(Authorization["']?\s*[=:]\s*["']?)[^\r\n"',}]+/gi, '$1[redacted]'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, '$1[redacted]'],
];

// A secret shorter than this would redact ordinary words; no real key is this short.
const SHORTEST_SECRET = 4;

/**
 * The one redaction mechanism of tiercache: every text a package or an app prints, logs, emits or
 * writes that could carry a secret goes through a redactor built from the secrets it was
 * configured with. Each secret is replaced wherever it appears (longest first, so a secret that
 * contains another is hidden whole), then `patterns` catch credentials it was not told about.
 */
export function createRedactor(
  secrets: readonly (string | undefined | null)[],
  patterns: readonly RedactionPattern[] = CREDENTIAL_PATTERNS,
): Redact {
  const known = [
    ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= SHORTEST_SECRET)),
  ].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = String(text);
    for (const secret of known) out = out.split(secret).join('[redacted]');
    for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
    return out;
  };
}
