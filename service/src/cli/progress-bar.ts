/** A one-line progress display on stderr: redrawn in place on a terminal, a line per phase otherwise. */
export class ProgressBar {
  private lastPhase = '';
  private readonly isTty = Boolean(process.stderr.isTTY);

  update(phase: string, done: number, total: number | null, unit: string, rate?: number): void {
    const width = 30;
    const share = total && total > 0 ? Math.min(1, done / total) : null;
    const bar = share === null ? '' : `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${(share * 100).toFixed(0).padStart(3)}% `;
    const counts = total ? `${format(done)}/${format(total)} ${unit}` : `${format(done)} ${unit}`;
    const speed = rate ? `, ${format(rate)} ${unit}/s` : '';
    const line = `${phase.padEnd(16)} ${bar}${counts}${speed}`;
    if (this.isTty) process.stderr.write(`\r${line}\u001b[K`);
    else if (phase !== this.lastPhase) process.stderr.write(`${line}\n`);
    this.lastPhase = phase;
  }

  done(): void {
    if (this.isTty) process.stderr.write('\n');
  }
}

function format(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}
