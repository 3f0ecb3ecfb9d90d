import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { MediaServiceError } from '../errors.js';
import type { SpeechRequest, TtsEngine } from './engine-types.js';
import { finalizeWav } from './wav.js';

const require = createRequire(import.meta.url);

// text2wav is eSpeak NG compiled to WebAssembly. Three quirks decide how it is called:
// - its typings say numbers, but numeric options are dropped unless passed as strings;
// - an unknown voice makes the WASM runtime call exit(1), which would end this process: each
//   synthesis runs in its own worker thread, where exit only ends the worker;
// - it logs a harmless "wasm streaming compile failed" on Node's fetch; the worker keeps its
//   log lines and reports them only when the synthesis fails.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const log = [];
console.warn = console.error = console.log = (...parts) => log.push(parts.join(' '));
process.on('exit', () => parentPort.postMessage({ log }));
require(workerData.modulePath)(workerData.text, workerData.options).then(
  (bytes) => parentPort.postMessage({ bytes }, [bytes.buffer]),
  (error) => parentPort.postMessage({ log: [...log, String(error)] }),
);
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
  const options = { voice: request.voice, speed: String(request.speed), pitch: String(request.pitch) };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { modulePath: require.resolve('text2wav'), text: request.text, options },
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
