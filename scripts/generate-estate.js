#!/usr/bin/env node
// Writes a synthetic estate of any size in the supported input formats, from src/synth (built
// code in dist/). Deterministic for a seed. Progress goes to stderr, a JSON summary to stdout.
//
//   node scripts/generate-estate.js --servers 100000 --connections 2000000 --seed 1 --out DIR \
//        [--formats rvtools-xlsx,rvtools-csv,connections,agent,aws-template] [--agents 0.2]
//
// Output in DIR: RVTools_export.xlsx, rvtools-csv/RVTools_tab*.csv, connections.csv,
// agents/<host>.json, aws-import-template.csv.
import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {
  generateEstate,
  hash32,
  writeAgentFiles,
  writeAwsImportTemplate,
  writeConnectionsCsv,
  writeRvtoolsCsv,
  writeRvtoolsXlsx,
} from '../dist/src/synth/index.js'

const FORMATS = ['rvtools-xlsx', 'rvtools-csv', 'connections', 'agent', 'aws-template']
const usage = `usage: node scripts/generate-estate.js --servers N --out DIR [--connections N] [--seed N]
       [--formats ${FORMATS.join(',')}] [--agents FRACTION] [--app-size MIN-MAX] [--noise SHARE]`

let args
try {
  args = parseArgs({
    options: {
      servers: {type: 'string'},
      connections: {type: 'string'},
      seed: {type: 'string', default: '1'},
      out: {type: 'string'},
      formats: {type: 'string', default: FORMATS.join(',')},
      agents: {type: 'string', default: '1'},
      'app-size': {type: 'string'},
      noise: {type: 'string'},
      help: {type: 'boolean', short: 'h'},
    },
  }).values
} catch (error) {
  console.error(`${error.message}\n${usage}`)
  process.exit(2)
}
if (args.help) {
  console.log(usage)
  process.exit(0)
}
const int = (name, value) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, got ${value}\n${usage}`)
    process.exit(2)
  }
  return n
}
if (!args.servers || !args.out) {
  console.error(usage)
  process.exit(2)
}
const formats = args.formats.split(',').map((f) => f.trim())
const unknown = formats.filter((f) => !FORMATS.includes(f))
if (unknown.length > 0) {
  console.error(`unknown format ${unknown.join(', ')}; use ${FORMATS.join(', ')}`)
  process.exit(2)
}
const agentShare = Number(args.agents)
const appSize = args['app-size'] ? args['app-size'].split('-').map((x) => int('app-size', x)) : undefined

const t0 = performance.now()
const log = (msg) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`)
const estate = generateEstate({
  servers: int('servers', args.servers),
  seed: int('seed', args.seed),
  ...(args.connections ? {connectionRecords: int('connections', args.connections)} : {}),
  ...(appSize ? {appSize: [appSize[0], appSize[1] ?? appSize[0]]} : {}),
  ...(args.noise ? {noise: Number(args.noise)} : {}),
})
log(
  `estate: ${estate.servers.length} servers, ${new Set(estate.truth.values()).size} groups, ${estate.options.connectionRecords} connection records`,
)
await mkdir(args.out, {recursive: true})

const summary = {servers: estate.servers.length, options: estate.options, files: {}}
for (const format of formats) {
  const step = (what) => (sheet, rows) =>
    log(`${what}${typeof sheet === 'string' ? ` ${sheet}` : ''}: ${(rows ?? sheet).toLocaleString('en-US')}`)
  switch (format) {
    case 'rvtools-xlsx':
      summary.files[format] = (await writeRvtoolsXlsx(estate, join(args.out, 'RVTools_export.xlsx'), {onProgress: step('xlsx')})).rows
      break
    case 'rvtools-csv': {
      const dir = join(args.out, 'rvtools-csv')
      await mkdir(dir, {recursive: true})
      summary.files[format] = (await writeRvtoolsCsv(estate, dir, {onProgress: step('csv')})).rows
      break
    }
    case 'connections':
      summary.files[format] = (await writeConnectionsCsv(estate, join(args.out, 'connections.csv'), {onProgress: step('connections')})).rows
      break
    case 'agent':
      // A stable share of the servers, chosen by name: the same servers at every size of the share.
      summary.files[format] = (
        await writeAgentFiles(estate, join(args.out, 'agents'), {
          select: (s) => agentShare >= 1 || hash32(s.name) / 2 ** 32 < agentShare,
          onProgress: step('agent files'),
        })
      ).rows
      break
    case 'aws-template':
      summary.files[format] = (await writeAwsImportTemplate(estate, join(args.out, 'aws-import-template.csv'))).rows
      break
  }
  log(`${format} done`)
}
console.log(JSON.stringify(summary))
