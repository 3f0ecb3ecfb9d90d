import cliProgress from 'cli-progress';

/** Reports long work: a live bar on a terminal, one plain line per item elsewhere (logs, CI). */
export interface Progress {
  start(total: number): void;
  /** One finished item; `line` is what a log shows, `label` what the bar shows. */
  item(line: string, label: string): void;
  stop(): void;
}

export interface ProgressOptions {
  /** @default process.stdout */
  stream?: NodeJS.WriteStream;
  /**
   * Force a bar (`true`) or plain lines (`false`).
   * @default whether the stream is a terminal
   */
  bar?: boolean;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stdout;
  if (!(options.bar ?? stream.isTTY === true)) {
    return {
      start: () => undefined,
      item: (line) => void stream.write(`${line}\n`),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: '  [{bar}] {value}/{total} {label}', stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let count = 0;
  return {
    start(total) {
      bar.start(total, 0, { label: '' });
    },
    item(_line, label) {
      bar.update(++count, { label });
    },
    stop() {
      bar.stop();
    },
  };
}

/** Runs `task` over `items` with at most `limit` at once; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
