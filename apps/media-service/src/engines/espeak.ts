import { execFile } from 'node:child_process';
import { MediaServiceError } from '../errors.js';
import type { SpeechRequest, TtsEngine } from './engine-types.js';
import { finalizeWav } from './wav.js';

/** Options of `createSystemEspeakEngine`. */
export interface SystemEspeakOptions {
  /**
   * The binary, looked up on PATH like a shell would (but no shell is involved).
   * @default 'espeak-ng'
   */
  command?: string;
  /**
   * Longest one synthesis may take, in ms.
   * @default 60000
   */
  timeoutMs?: number;
}

interface Run {
  stdout: Buffer;
  stderr: string;
}

function run(command: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stderr: stderr.toString('utf8') }));
        else resolve({ stdout, stderr: stderr.toString('utf8') });
      },
    );
  });
}

/** The version of the installed binary (`1.51`), or `undefined` when it is not installed. */
export async function detectSystemEspeak(command = 'espeak-ng'): Promise<string | undefined> {
  try {
    const { stdout } = await run(command, ['--version'], 10_000);
    return /text-to-speech:\s*([0-9][^\s]*)/.exec(stdout.toString('utf8'))?.[1] ?? 'unknown';
  } catch {
    return undefined;
  }
}

export function speechArgs(request: SpeechRequest): string[] {
  // `--` ends the options, so a line that starts with "-" is spoken, not parsed.
  return ['-v', request.voice, '-s', String(request.speed), '-p', String(request.pitch), '--', request.text];
}

/** eSpeak NG through the system binary (`espeak-ng --stdout`), called with execFile: no shell. */
export async function createSystemEspeakEngine(options: SystemEspeakOptions = {}): Promise<TtsEngine> {
  const command = options.command ?? 'espeak-ng';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const version = await detectSystemEspeak(command);
  if (version === undefined)
    throw new MediaServiceError(
      'E_ENGINE_UNAVAILABLE',
      `${command} is not installed (TIERCACHE_TTS_BACKEND=system)`,
    );
  const backend = `espeak-ng@${version}`;
  return {
    engine: 'espeak-ng',
    backend,
    async synthesize(request) {
      let result: Run;
      try {
        result = await run(command, ['--stdout', ...speechArgs(request)], timeoutMs);
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr?.trim().split('\n')[0];
        throw new MediaServiceError(
          'E_ENGINE',
          `espeak-ng failed for voice ${JSON.stringify(request.voice)}: ${stderr || (error as Error).message}`,
          { cause: error, context: { voice: request.voice } },
        );
      }
      const bytes = finalizeWav(new Uint8Array(result.stdout), 'espeak-ng');
      return { bytes, mediaType: 'audio/wav', extension: 'wav', metadata: { backend, voice: request.voice } };
    },
  };
}
