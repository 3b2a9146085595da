/** Figures for the fan-out bench: sliding-window peaks, gaps, medians, and a child process's peak RSS and CPU from /proc. */
import { readFileSync } from 'node:fs';

/** Most events in any window of `windowMs` (sliding), from sorted times. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

export function gaps(times: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < times.length; i++) out.push(times[i]! - times[i - 1]!);
  return out;
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

export interface ProcessSample {
  /** Peak resident set (VmHWM), MB. */
  peakRssMb: number;
  /** User + system CPU time, ms. */
  cpuMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Reads a live process's peak RSS and CPU time; null once it is gone. */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    return { peakRssMb: hwm ? Number(hwm[1]) / 1024 : 0, cpuMs: cpuTicks * TICK_MS };
  } catch {
    return null;
  }
}

/** Samples a process every `everyMs` until stopped; keeps the last reading (peaks only grow). */
export function watchProcess(pid: number, everyMs = 25): { stop(): ProcessSample } {
  let last: ProcessSample = { peakRssMb: 0, cpuMs: 0 };
  const timer = setInterval(() => {
    const s = sampleProcess(pid);
    // A zombie (exited, not yet reaped) has no memory lines: keep the peaks seen.
    if (s) last = { peakRssMb: Math.max(last.peakRssMb, s.peakRssMb), cpuMs: Math.max(last.cpuMs, s.cpuMs) };
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return last;
    },
  };
}
