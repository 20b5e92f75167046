/**
 * A single self-overwriting progress line on stderr. Silent unless enabled (a terminal, no
 * --json, not CI), and throttled so that hot loops can call it freely.
 */
export class Progress {
  private last = 0
  private shown = false

  constructor(
    private readonly label: string,
    private readonly options: {readonly enabled: boolean; readonly intervalMs?: number},
  ) {}

  update(detail: string): void {
    if (!this.options.enabled) return
    const now = Date.now()
    if (now - this.last < (this.options.intervalMs ?? 100)) return
    this.last = now
    this.shown = true
    process.stderr.write(`\r\u001B[2K${this.label}: ${detail}`)
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\u001B[2K')
    this.shown = false
  }
}
