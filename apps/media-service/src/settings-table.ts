import type { SettingSpec } from './setting-spec.js';
import { SETTINGS } from './settings.js';

/** Where the README's configuration table starts and ends (the lines between are generated). */
export const TABLE_START = '<!-- settings-table: generated from src/settings.ts by `settingsTable()` -->';
export const TABLE_END = '<!-- /settings-table -->';

const defaultOf = (spec: SettingSpec) => spec.defaultText ?? String(spec.default);

// A `|` inside a cell would split it.
const cell = (text: string) => text.replaceAll('|', '\\|');

/** The README's configuration table, one row per setting, from the settings table itself. */
export function settingsTable(settings: readonly SettingSpec[] = SETTINGS): string {
  const rows = settings.map((spec) =>
    [
      spec.secret ? '(environment only)' : `\`${spec.path}\``,
      `\`${spec.env}\``,
      spec.flag ? `\`${spec.flag}\`` : '',
      cell(defaultOf(spec)),
      cell(spec.description),
    ].join(' | '),
  );
  return [
    '| setting (config file) | environment variable | flag | default | meaning |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
