/** Percentiles and number formatting for the benchmark's table, and the process's RSS. */

/** The nearest-rank percentile (p in 0..100) of a non-empty sample. */
export function percentile (samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN
}

export function median (samples: readonly number[]): number {
  return percentile(samples, 50)
}

export function max (samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : Math.max(...samples)
}

/** Milliseconds with precision that suits their size. */
export function fmtMs (ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a'
  if (ms < 1) return `${ms.toFixed(3)} ms`
  if (ms < 100) return `${ms.toFixed(2)} ms`
  return `${Math.round(ms)} ms`
}

export function fmtRate (perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a'
  return `${Math.round(perSecond).toLocaleString('en-US')} msg/s`
}

export function fmtMiB (bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

/** This process's resident set size, after a garbage collection when node runs with --expose-gc. */
export function rssNow (): number {
  globalThis.gc?.()
  return process.memoryUsage().rss
}
