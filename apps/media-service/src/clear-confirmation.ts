import { createInterface } from 'node:readline/promises';
import { MediaServiceError } from './errors.js';
import type { MediaService } from './media-service.js';

/** Where the question is asked: a terminal on both ends, or nobody to ask. */
export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Whether `cache clear` may remove every entry: `--yes` says so; on a terminal the user is
 * asked (the default answer is no); with nobody to ask (a script, CI) it refuses with
 * `E_USAGE` before anything is removed, as a mistyped command must not empty a shared cache.
 */
export async function confirmClearAll(
  service: MediaService,
  yes: boolean,
  terminal: Terminal,
): Promise<boolean> {
  if (yes) return true;
  if (!terminal.input.isTTY || !terminal.output.isTTY)
    throw new MediaServiceError(
      'E_USAGE',
      'cache clear without --type removes every entry: add --yes to confirm (there is no terminal to ask)',
    );
  const stats = service.media.cache?.index.stats();
  const where = service.config.profile === 'memory' ? 'memory' : service.config.cacheDir;
  const question = `Remove all ${stats?.entries ?? 0} cached entries (${stats?.bytes ?? 0} bytes) from ${where}? [y/N] `;
  const prompt = createInterface({ input: terminal.input, output: terminal.output });
  try {
    return /^(y|yes)$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
