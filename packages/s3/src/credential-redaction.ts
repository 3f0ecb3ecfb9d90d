import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { CREDENTIAL_PATTERNS, createRedactor as createCoreRedactor, type Redact } from '@tiercache/core';

export type { Redact };

// Shapes of AWS secrets that could reach a message through an SDK error or a URL, even when
// the tier does not know the credentials (a client passed in, a provider function).
const AWS_PATTERNS: Array<[RegExp, string]> = [
  [/\b(?:AKIA|ASIA)[0-9A-Z]{12,}\b/g, '[redacted]'],
  [/(Credential=)[^\s,&"]+/gi, '$1[redacted]'],
  [/(Signature=)[^\s,&"]+/gi, '$1[redacted]'],
  [/(X-Amz-Security-Token[=:]\s*)[^\s,&"]+/gi, '$1[redacted]'],
];

/** Static credentials of a client config (providers are opaque and cannot be inspected). */
function staticSecrets(config: S3ClientConfig | undefined): string[] {
  const credentials = config?.credentials;
  if (typeof credentials !== 'object' || credentials === null) return [];
  const { accessKeyId, secretAccessKey, sessionToken } = credentials as {
    accessKeyId?: unknown;
    secretAccessKey?: unknown;
    sessionToken?: unknown;
  };
  return [accessKeyId, secretAccessKey, sessionToken].filter(
    (value): value is string => typeof value === 'string',
  );
}

/**
 * Every text the tier emits (error messages, events, warnings) passes through this, so a
 * credential can never leak even if an SDK message were to carry one. Core's redactor, with the
 * client's static credentials and the shapes of AWS credentials.
 */
export function createRedactor(config: S3ClientConfig | undefined, signingKey?: string | Uint8Array): Redact {
  const key = typeof signingKey === 'string' ? [signingKey] : [];
  return createCoreRedactor([...staticSecrets(config), ...key], [...AWS_PATTERNS, ...CREDENTIAL_PATTERNS]);
}
