// Samples the cutover child's own resources every 100 ms, so the bench can say where time and memory
// went even where the V8 profiler cannot look (the engine's SQLite worker threads are terminated,
// which writes no --cpu-prof profile): CPU per thread kind from /proc/self/task/*/stat, and the
// composition of RSS (V8 heap, off-heap buffers, anonymous vs file-backed pages) at its peak.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100;

export interface MemoryAtPeak {
  rssMb: number;
  rssAnonMb: number | null;
  rssFileMb: number | null;
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  threads: number | null;
}

export interface ResourceReport {
  /** CPU seconds by thread kind: main, worker (worker_threads), v8 (GC/compiler helpers), libuv, other. */
  cpuSeconds: Record<string, number>;
  /** The sample with the highest RSS during the phase. */
  memoryAtPeak: MemoryAtPeak | null;
  /** Highest main-isolate heap in use and committed over all samples (garbage included: V8 may let it pile up). */
  heapMaxMb: { used: number; committed: number };
}

function threadKind(name: string, tid: string): string {
  if (tid === String(process.pid)) return 'main';
  if (name === 'WorkerThread') return 'worker';
  if (name.startsWith('V8')) return 'v8';
  if (name.startsWith('libuv')) return 'libuv';
  return 'other';
}

function readThreads(): Map<string, { kind: string; ticks: number }> {
  const threads = new Map<string, { kind: string; ticks: number }>();
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, { kind: threadKind(name, tid), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The thread ended between readdir and read: its last sample stands.
    }
  }
  return threads;
}

function statusMb(status: string, key: string): number | null {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : null;
}

function sampleMemory(): MemoryAtPeak {
  let status = '';
  try {
    status = fs.readFileSync('/proc/self/status', 'utf8');
  } catch {
    // not Linux: the V8 figures still stand
  }
  const usage = process.memoryUsage();
  const mb = (n: number) => n / 2 ** 20;
  return {
    rssMb: statusMb(status, 'VmRSS') ?? mb(usage.rss),
    rssAnonMb: statusMb(status, 'RssAnon'),
    rssFileMb: statusMb(status, 'RssFile'),
    heapTotalMb: mb(usage.heapTotal),
    heapUsedMb: mb(usage.heapUsed),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
    threads: (() => {
      const match = /^Threads:\s+(\d+)/m.exec(status);
      return match ? Number(match[1]) : null;
    })(),
  };
}

export class ResourceSampler {
  private readonly start = readThreads();
  private readonly last = new Map<string, { kind: string; ticks: number }>();
  private peak: MemoryAtPeak | null = null;
  private readonly heapMax = { used: 0, committed: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const [tid, thread] of readThreads()) this.last.set(tid, thread);
    const memory = sampleMemory();
    if (!this.peak || memory.rssMb > this.peak.rssMb) this.peak = memory;
    this.heapMax.used = Math.max(this.heapMax.used, memory.heapUsedMb);
    this.heapMax.committed = Math.max(this.heapMax.committed, memory.heapTotalMb);
  }

  stop(): ResourceReport {
    clearInterval(this.timer);
    this.sample();
    const cpuSeconds: Record<string, number> = {};
    for (const [tid, thread] of this.last) {
      const ticks = thread.ticks - (this.start.get(tid)?.ticks ?? 0);
      cpuSeconds[thread.kind] = (cpuSeconds[thread.kind] ?? 0) + ticks / TICKS_PER_SECOND;
    }
    return { cpuSeconds, memoryAtPeak: this.peak, heapMaxMb: { ...this.heapMax } };
  }
}
