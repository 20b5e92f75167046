#!/usr/bin/env node
// Runs benchmarks, each in its own child process so that its peak RSS is its own, and prints
// their figures. Usage: npm run bench [-- name …]   (names match bench/*.bench.js; default all)
// Figures are printed, never asserted: speed and memory targets live here, not in unit tests.
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2)
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .sort()
const chosen = wanted.length === 0 ? all : all.filter((f) => wanted.some((w) => f.startsWith(w)))
if (chosen.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; have: ${all.join(', ')}`)
  process.exit(2)
}
let failed = 0
for (const f of chosen) {
  console.log(`\n== ${f} ==`)
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, f)], {stdio: 'inherit', env: {...process.env}})
  if (r.status !== 0) {
    failed++
    console.log(`!! ${f} exited with ${r.status ?? r.signal}`)
  }
}
process.exit(failed === 0 ? 0 : 1)
