#!/usr/bin/env node
import { readdir } from 'node:fs/promises';
import { isTiercacheError } from '@tiercache/core';
import { Command, CommanderError } from 'commander';
import {
  clearCommand,
  parseType,
  pruneCommand,
  pruneLimits,
  readWarmFile,
  statsCommand,
  syncCommand,
  verifyCommand,
  warmCommand,
} from './cache-commands.js';
import { confirmClearAll } from './clear-confirmation.js';
import { appVersion, checkRequiredOptions, required } from './cli-options.js';
import { loadConfig, type ServiceConfig } from './config.js';
import { DASHBOARD_TOKEN_VARIABLE, dashboardToken } from './dashboard-access.js';
import { dashboardCommand, savingsCommand } from './dashboard-commands.js';
import { resolveSelection } from './dashboard-data.js';
import { DEFAULT_DASHBOARD_PORT, parsePort } from './dashboard-server.js';
import { parseCount, planGenerate, runGenerate } from './generate-command.js';
import { formatSummary } from './generate-summary.js';
import { HOSTED_REFERENCE } from './hosted-reference.js';
import { MediaService } from './media-service.js';
import { createProgress, type Progress } from './progress.js';
import { rejectCommand } from './reject-command.js';
import { generateRecord, saveRun, startRecording } from './run-record.js';
import { redactorFor, redactStreams } from './secret-output.js';
import { describeUnwritable, EXIT_UNWRITABLE_OUTPUT } from './unwritable-output.js';
import { Warnings } from './warnings.js';

interface GlobalOptions {
  config?: string;
  profile?: string;
  cacheDir?: string;
  outputDir?: string;
}

// The AWS SDK (loaded by the shared profile) prints a multi-line notice on Node 20 about
// releases from 2027 on; the pinned SDK supports Node 20, and the CLI keeps stderr for errors.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// No configured secret reaches the terminal, whatever prints it (a remote API may echo a key).
redactStreams(redactorFor(process.env), [process.stdout, process.stderr]);

const print = (line: string) => void process.stdout.write(`${line}\n`);
const terminal = { input: process.stdin, output: process.stderr };
const quiet: Progress = { start: () => undefined, item: () => undefined, stop: () => undefined };

function configOf(command: Command): ServiceConfig {
  const options = command.optsWithGlobals<GlobalOptions>();
  return loadConfig({
    file: options.config,
    overrides: { profile: options.profile, cacheDir: options.cacheDir, outputDir: options.outputDir },
  });
}

const warnings = new Warnings((line) => void process.stderr.write(line));

/**
 * Runs `run` with a service; `generate` and `warm` pass `fallbackToMemory`, so that a cache that
 * cannot be opened (a full disk) costs a warning, not the run.
 */
async function withService<T>(
  config: ServiceConfig,
  run: (service: MediaService) => Promise<T>,
  options: { fallbackToMemory?: boolean; readsOnly?: boolean } = {},
): Promise<T> {
  const service = await MediaService.create({
    config,
    onWarning: warnings.storage,
    logger: warnings.logger,
    fallbackToMemory: options.fallbackToMemory === true,
    readsOnly: options.readsOnly === true,
  });
  try {
    return await run(service);
  } finally {
    await service.close();
  }
}

function program(): Command {
  const cli = new Command('media-service')
    .description('Narrated channel videos (MP4, narration, images), generated through tiercache')
    .option('--config <file>', 'JSON config file (environment variables override it)')
    .option('--profile <name>', 'storage profile: memory, local, shared or farm (TIERCACHE_PROFILE)')
    .option('--cache-dir <dir>', 'cache folder (TIERCACHE_CACHE_DIR)')
    .option('--output-dir <dir>', 'output folder (TIERCACHE_OUTPUT_DIR)')
    .version(appVersion(), '-V, --version', "print the app's version")
    .showHelpAfterError(false)
    .hook('preAction', checkRequiredOptions)
    .exitOverride();

  cli
    .command('generate')
    .description('generate videos for a channel: an MP4, narration WAVs, images and a manifest per video')
    .addOption(required('--channel <name>', 'channel definition (channels/<name>.json)'))
    .addOption(required('--count <n>', 'number of videos'))
    .option('--json', 'print the summary as JSON instead of progress and a table')
    .action(async (options: { channel: string; count: string; json?: boolean }, command: Command) => {
      const count = parseCount(options.count);
      const config = configOf(command);
      // Everything that can be wrong with the request is checked before the cache is opened.
      const plan = await planGenerate(config, options.channel, count);
      const summary = await withService(
        config,
        async (service) => {
          const recorder = startRecording(service);
          const summary = await runGenerate(service, plan, options.json ? quiet : createProgress());
          await saveRun(service, generateRecord(summary, recorder.finish()));
          return summary;
        },
        { fallbackToMemory: true },
      );
      // Said once, before the table: how to get the videos this run could not assemble.
      for (const problem of summary.videoProblems) process.stderr.write(`${problem}\n`);
      if (options.json) print(JSON.stringify(summary, null, 2));
      else for (const line of formatSummary(summary)) print(line);
      if (summary.unwritable.count > 0) {
        process.stderr.write(
          `${describeUnwritable(summary.unwritable, summary.requests + summary.unwritable.count)}\n`,
        );
        process.exitCode = EXIT_UNWRITABLE_OUTPUT;
      }
    });

  cli
    .command('channels')
    .description('list the channels that can be generated')
    .action(async (_options: unknown, command: Command) => {
      const { channelsDir } = configOf(command);
      const files = (await readdir(channelsDir)).filter((file) => file.endsWith('.json')).sort();
      for (const file of files) print(file.slice(0, -'.json'.length));
    });

  cli
    .command('dashboard')
    .description(
      'serve the hit-rate dashboard (all-time and per-run hit rates, latency, savings calculator), /metrics (Prometheus) and /healthz',
    )
    .option('--port <n>', 'port; 0 picks a free one', String(DEFAULT_DASHBOARD_PORT))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .action(async (options: { port: string; host: string }, command: Command) => {
      const port = parsePort(options.port);
      // Refused before the cache is opened: a public address without a token is a usage error.
      const token = dashboardToken(options.host, process.env[DASHBOARD_TOKEN_VARIABLE]);
      await withService(configOf(command), (service) =>
        dashboardCommand(service, { host: options.host, port, token }, print),
      );
    });

  const cache = cli.command('cache').description('inspect and maintain the cache');
  cache
    .command('stats')
    .description('entries, uses, bytes, hit rate and what this process saved')
    .option('--json', 'print the figures as JSON (camelCase: session, index, hitRate, saved)')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withService(configOf(command), (service) => statsCommand(service, options.json === true, print));
    });
  cache
    .command('savings')
    .description('all-time calls, time and money the cache saved, at a chosen list price')
    .option('--tts-engine <name>', 'price speech as this engine of the pricing table', HOSTED_REFERENCE.tts)
    .option('--image-model <name>', 'price images as this model of the pricing table', HOSTED_REFERENCE.image)
    .option('--json', 'print the figures and the savings as JSON')
    .action(async (options: { ttsEngine: string; imageModel: string; json?: boolean }, command: Command) => {
      const { selection } = resolveSelection(options);
      await withService(configOf(command), (service) =>
        savingsCommand(service, selection, options.json === true, print),
      );
    });
  cache
    .command('clear')
    .description('remove entries and their files: one type, or all (asks first, or needs --yes)')
    .option('--type <type>', 'tts, image or video; without it every entry is removed')
    .option('-y, --yes', 'clear everything without asking (needed when there is no terminal)')
    .action(async (options: { type?: string; yes?: boolean }, command: Command) => {
      const type = parseType(options.type);
      await withService(configOf(command), async (service) => {
        // One named type is a deliberate, bounded request; emptying the whole cache is asked.
        if (type === undefined && !(await confirmClearAll(service, options.yes === true, terminal))) {
          print('nothing cleared');
          process.exitCode = 1;
          return;
        }
        await clearCommand(service, type, print);
      });
    });
  cache
    .command('reject')
    .description(
      'refuse the entry a request is served now (or --entry): a similar or canonical answer is never given to it again; its own entry is deleted and regenerated',
    )
    .addOption(required('--type <type>', 'tts or image'))
    .addOption(required('--prompt <text>', "the spoken line or the full image prompt, as a manifest's text"))
    .option('--channel <name>', "use this channel's voice or image settings, as generate does")
    .option('--entry <key>', "reject this entry (a manifest's key) instead of the one served now")
    .option('--json', 'print what was rejected as JSON')
    .action(
      async (
        options: { type: string; prompt: string; channel?: string; entry?: string; json?: boolean },
        command: Command,
      ) => {
        const kind = parseType(options.type, ['tts', 'image']) as 'tts' | 'image';
        const target = { kind, prompt: options.prompt, channel: options.channel, entry: options.entry };
        await withService(configOf(command), (service) =>
          rejectCommand(service, target, options.json === true, print),
        );
      },
    );
  cache
    .command('prune')
    .description('remove expired, then least recently used entries until the cache fits')
    .option('--max-bytes <n>', 'largest total size to keep, in bytes (TIERCACHE_PRUNE_MAX_BYTES)')
    .option('--max-entries <n>', 'most entries to keep (TIERCACHE_PRUNE_MAX_ENTRIES)')
    .action(async (options: { maxBytes?: string; maxEntries?: string }, command: Command) => {
      const config = configOf(command);
      const limits = pruneLimits(options, config);
      await withService(config, (service) => pruneCommand(service, limits, print));
    });
  cache
    .command('verify')
    .description('hash every cached file against its index entry')
    .option('--repair', 'delete corrupt and orphaned files, drop entries without a file')
    .action(async (options: { repair?: boolean }, command: Command) => {
      const repair = options.repair === true;
      // A plain verify only reads: it works on a full disk too.
      const ok = await withService(configOf(command), (service) => verifyCommand(service, repair, print), {
        readsOnly: !repair,
      });
      if (!ok) process.exitCode = 1;
    });
  cache
    .command('warm')
    .description('pre-generate a JSON list of requests ({kind: "tts", text} / {kind: "image", prompt})')
    .argument('<file>', 'JSON file with the list')
    .action(async (file: string, _options: unknown, command: Command) => {
      const config = configOf(command);
      const items = await readWarmFile(file);
      const ok = await withService(
        config,
        (service) => warmCommand(service, items, createProgress(), print),
        { fallbackToMemory: true },
      );
      if (!ok) process.exitCode = 1;
    });
  cache
    .command('sync')
    .description('shared profile: copy what other machines stored in the bucket into the local index')
    .action(async (_options: unknown, command: Command) => {
      const ok = await withService(configOf(command), (service) => syncCommand(service, print));
      if (!ok) process.exitCode = 1;
    });
  return cli;
}

/** SQLite's words for a file whose pages are damaged or that is no database at all. */
function isDamagedIndex(error: unknown): boolean {
  if (!isTiercacheError(error, 'E_INDEX_UNAVAILABLE')) return false;
  const code = error.context.sqliteCode;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}

/** One line, no stack: the message of a known error names the problem already. */
function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander printed its own one-line message (or the help text) already.
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? message;
  const hint = isDamagedIndex(error)
    ? '; run `media-service cache verify --repair` to rebuild the index'
    : '';
  process.stderr.write(`${isTiercacheError(error) ? line : `media-service: ${line}`}${hint}\n`);
  if (process.env.TIERCACHE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}

try {
  await program().parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}
