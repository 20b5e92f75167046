import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'

/** Every file under dir (relative path → bytes), optionally leaving a folder out. */
export function tree(dir: string, skip?: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const d of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (!d.isFile()) continue
    const rel = relative(dir, join(d.parentPath, d.name)).split('\\').join('/')
    if (skip && (rel === skip || rel.startsWith(`${skip}/`))) continue
    out.set(rel, readFileSync(join(d.parentPath, d.name)))
  }
  return out
}
