import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MediaServiceError } from '../errors.js';
import type { SpeechRequest, TtsEngine } from './engine-types.js';
import { speechArgs } from './espeak.js';
import { finalizeWav } from './wav.js';

const require = createRequire(import.meta.url);

// text2wav is eSpeak NG compiled to WebAssembly. Its wrapper function puts the text first on
// the emulated command line (a line starting with "-" is read as an option) and drops numeric
// options unless they are strings, so the worker drives the compiled module directly, with the
// same arguments as the system binary. An unknown voice makes the runtime call exit(1), which
// would end this process: each synthesis runs in its own worker thread, where exit only ends
// the worker. The runtime's log lines are kept and reported only when the synthesis fails.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const log = [];
process.on('exit', () => parentPort.postMessage({ log }));
const Module = {
  arguments: ['-w', 'out.wav', ...workerData.args],
  print: (line) => log.push(line),
  printErr: (line) => log.push(line),
  postRun() {
    const bytes = Module.FS.readFile('out.wav');
    parentPort.postMessage({ bytes }, [bytes.buffer]);
  },
};
require(workerData.libraryPath)(Module);
`;

/** Options of `createText2wavEngine`. */
export interface Text2wavOptions {
  /**
   * Longest one synthesis may take, in ms.
   * @default 60000
   */
  timeoutMs?: number;
}

export function text2wavVersion(): string {
  return (require('text2wav/package.json') as { version: string }).version;
}

function synthesizeInWorker(request: SpeechRequest, timeoutMs: number): Promise<Uint8Array> {
  const libraryPath = join(dirname(require.resolve('text2wav')), 'lib', 'espeak-ng.js');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { libraryPath, args: speechArgs(request) },
    stdout: true,
    stderr: true,
  });
  return new Promise((resolve, reject) => {
    let log: string[] = [];
    let done = false;
    const timer = setTimeout(() => {
      log.push(`timed out after ${timeoutMs} ms`);
      void worker.terminate();
    }, timeoutMs);
    worker.on('message', (message: { bytes?: Uint8Array; log?: string[] }) => {
      if (message.bytes && !done) {
        done = true;
        clearTimeout(timer);
        resolve(message.bytes);
        void worker.terminate();
      }
      if (message.log) log = message.log;
    });
    worker.on('error', (error) => log.push(error.message));
    worker.on('exit', () => {
      clearTimeout(timer);
      if (done) return;
      const reason = log.filter((line) => !/wasm streaming|falling back|exit\(1\) called/.test(line));
      reject(
        new MediaServiceError(
          'E_ENGINE',
          `text2wav failed for voice ${JSON.stringify(request.voice)}: ${reason[0]?.trim() || 'no audio produced'}`,
          { context: { voice: request.voice } },
        ),
      );
    });
  });
}

/** eSpeak NG as WebAssembly from npm (`text2wav`): needs nothing but Node. */
export function createText2wavEngine(options: Text2wavOptions = {}): TtsEngine {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const backend = `text2wav@${text2wavVersion()}`;
  return {
    engine: 'espeak-ng',
    backend,
    async synthesize(request) {
      const bytes = finalizeWav(await synthesizeInWorker(request, timeoutMs), 'text2wav');
      return { bytes, mediaType: 'audio/wav', extension: 'wav', metadata: { backend, voice: request.voice } };
    },
  };
}
