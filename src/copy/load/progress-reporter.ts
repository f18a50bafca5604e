// Per-table progress lines: rows, rows/s and an ETA when the source row count is known, at most
// every few seconds so a 20M-row table logs a handful of lines, not thousands.
import type { Runtime } from '../../runtime.js';

/** First line after a second (rows are flowing), then every five seconds. */
const FIRST_MS = 1000;
const INTERVAL_MS = 5000;

export class TableProgress {
  private readonly started = Date.now();
  private nextLog = Date.now() + FIRST_MS;
  private readonly runtime: Runtime;
  private readonly label: string;
  private readonly expected?: number;
  /** Progress samples, repeated inside the table's log group when it is done. */
  private readonly samples: string[] = [];

  constructor(runtime: Runtime, label: string, expected?: number) {
    this.runtime = runtime;
    this.label = label;
    this.expected = expected;
  }

  update(rows: number): void {
    const now = Date.now();
    if (now < this.nextLog) return;
    this.nextLog = now + INTERVAL_MS;
    const rate = rows / Math.max(0.001, (now - this.started) / 1000);
    const eta = this.expected && rate > 0 && this.expected > rows ? `, ETA ${Math.ceil((this.expected - rows) / rate)} s` : '';
    const of = this.expected !== undefined ? ` of ${this.expected.toLocaleString('en-US')}` : '';
    const line = `${this.label}: ${rows.toLocaleString('en-US')}${of} rows (${Math.round(rate).toLocaleString('en-US')} rows/s${eta})`;
    this.samples.push(`after ${((now - this.started) / 1000).toFixed(0)} s: ${line}`);
    this.runtime.info(line);
  }

  done(rows: number): number {
    const ms = Date.now() - this.started;
    const rate = Math.round(rows / Math.max(0.001, ms / 1000));
    // One collapsible group per table (core.group in the Action), opened when the table is done so
    // that tables loading in parallel do not interleave inside each other's groups.
    const title = `${this.label}: ${rows.toLocaleString('en-US')} rows copied in ${(ms / 1000).toFixed(1)} s (${rate.toLocaleString('en-US')} rows/s)`;
    void this.runtime.group(title, async () => {
      for (const sample of this.samples) this.runtime.info(sample);
      this.runtime.info(`${rows.toLocaleString('en-US')} rows in ${ms} ms${this.expected !== undefined ? ` (source had ${this.expected.toLocaleString('en-US')})` : ''}.`);
    });
    return ms;
  }
}
