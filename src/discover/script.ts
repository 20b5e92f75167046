/**
 * What `discover ssh` runs on a host: read-only commands only (cat of /proc, /sys and /etc files,
 * uname, hostname, id, nproc, df, lsblk, ip, ss or netstat, ps, systemd-detect-virt, and dmidecode
 * when /sys does not show the UUID and we are root). They are sent as one POSIX sh script on stdin
 * (`env LC_ALL=C sh -s`, so the login shell's syntax does not matter); each output section starts
 * with a `@@mp:<name>` line.
 */

export const SECTION_MARK = '@@mp:'

export const INVENTORY_SCRIPT = `exec 2>/dev/null
s() { printf '\\n${SECTION_MARK}%s\\n' "$1"; }
has() { command -v "$1" >/dev/null 2>&1; }
s uname; uname -s; uname -r; uname -m
s hostname; hostname
s fqdn; hostname -f
s uid; id -u
s os-release; cat /etc/os-release
s nproc; nproc
s cpuinfo; cat /proc/cpuinfo
s meminfo; cat /proc/meminfo
s df; df -P -T -k
s lsblk; lsblk -b -d -n -P -o NAME,SIZE,TYPE
s ip-addr; ip -o addr show
s ip-link; ip -o link show
if has ss; then s ss; ss -tunap; else s netstat; netstat -tunap; fi
s ps; ps -ww -eo pid=,ppid=,user:32=,pcpu=,rss=,args=
s comm; ps -eo pid=,comm=
s product_uuid; cat /sys/class/dmi/id/product_uuid
s sys_vendor; cat /sys/class/dmi/id/sys_vendor
s product_name; cat /sys/class/dmi/id/product_name
s product_serial; cat /sys/class/dmi/id/product_serial
s virt; systemd-detect-virt
if [ "$(id -u)" = 0 ] && [ ! -r /sys/class/dmi/id/product_uuid ] && has dmidecode; then s dmidecode; dmidecode -s system-uuid; fi
s cron; cat /etc/crontab /etc/cron.d/* /var/spool/cron/crontabs/* /var/spool/cron/* 2>/dev/null
s end
`

/**
 * Sampling loop: `count` + 1 readings of /proc/stat, /proc/meminfo, /proc/diskstats, /proc/net/dev
 * and the sockets, `intervalSeconds` apart; each reading starts with `@@mp:sample <uptime>`.
 */
export function samplingScript(count: number, intervalSeconds: number): string {
  return `exec 2>/dev/null
i=0
while [ $i -le ${Math.max(1, Math.floor(count))} ]; do
  printf '\\n${SECTION_MARK}sample %s\\n' "$(cut -d' ' -f1 /proc/uptime)"
  head -n 1 /proc/stat
  grep -E '^(MemTotal|MemAvailable|MemFree|Buffers|Cached):' /proc/meminfo
  printf '${SECTION_MARK}diskstats\\n'; cat /proc/diskstats
  printf '${SECTION_MARK}netdev\\n'; cat /proc/net/dev
  if command -v ss >/dev/null 2>&1; then printf '${SECTION_MARK}ss\\n'; ss -tunap; else printf '${SECTION_MARK}netstat\\n'; netstat -tunap; fi
  i=$((i+1))
  [ $i -le ${Math.max(1, Math.floor(count))} ] && sleep ${Math.max(1, Math.round(intervalSeconds))}
done
printf '\\n${SECTION_MARK}end\\n'
`
}

/** Output split into its sections (name → text); a repeated name keeps the last. Pure. */
export function splitSections(output: string): Map<string, string> {
  const out = new Map<string, string>()
  let name: string | undefined
  let lines: string[] = []
  for (const line of output.split('\n')) {
    if (line.startsWith(SECTION_MARK)) {
      if (name !== undefined) out.set(name, lines.join('\n').trim())
      name = line.slice(SECTION_MARK.length).trim()
      lines = []
    } else lines.push(line)
  }
  if (name !== undefined) out.set(name, lines.join('\n').trim())
  return out
}

/** The readings of a sampling run, each with its own sections. Pure. */
export function splitSamples(output: string): {uptime: number; sections: Map<string, string>}[] {
  const out: {uptime: number; sections: Map<string, string>}[] = []
  const parts = output.split(`\n${SECTION_MARK}sample `)
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n')
    const uptime = Number(part.slice(0, nl).trim())
    if (!Number.isFinite(uptime)) continue
    const body = part.slice(nl + 1).split(`\n${SECTION_MARK}end`)[0]!
    out.push({uptime, sections: splitSections(`${SECTION_MARK}stat\n${body}`)})
  }
  return out
}
