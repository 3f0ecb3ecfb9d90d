// How the page writes numbers: the same rules in every table and card.

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export const money = (x: number) => `$${Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(4)}`;

export const ms = (x: number | null | undefined) =>
  x === null || x === undefined ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(0);

export const bytes = (n: number | null) =>
  n === null
    ? '–'
    : n < 1024
      ? `${n} B`
      : n < 1048576
        ? `${(n / 1024).toFixed(1)} KiB`
        : `${(n / 1048576).toFixed(1)} MiB`;

export const when = (iso: string) =>
  new Date(iso).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

export const num = (n: number | null) =>
  n === null ? '–' : Number(n).toLocaleString('en-US', { maximumFractionDigits: 2 });
