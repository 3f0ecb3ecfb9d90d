import { join } from 'node:path';
import { loadConfig, type ServiceConfig } from '../config.js';
import { MediaService } from '../media-service.js';
import type { MediaServiceOptions } from '../media-service-options.js';

/** The configuration the CLI would load from an environment, rooted in `dir`. */
export function configIn(dir: string, env: Record<string, string> = {}): ServiceConfig {
  return loadConfig({
    env: {
      TIERCACHE_CACHE_DIR: join(dir, 'cache'),
      TIERCACHE_OUTPUT_DIR: join(dir, 'output'),
      ...env,
    },
    cwd: dir,
  });
}

/** A service configured the way the CLI would be, from an environment, rooted in `dir`. */
export async function serviceIn(
  dir: string,
  env: Record<string, string> = {},
  options: Omit<MediaServiceOptions, 'config'> = {},
): Promise<MediaService> {
  return MediaService.create({ config: configIn(dir, env), ...options });
}
