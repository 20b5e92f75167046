#!/usr/bin/env node
// Writes the bundled example estate (examples/acme/) from src/synth/acme.ts, through the built
// code in dist/. Usage: npm run example   (or: node scripts/make-example.js [DIR])
// Deterministic: running it twice gives byte-identical files (test/synth/acme.test.ts checks).
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {writeAcmeExample} from '../dist/src/synth/index.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dir = process.argv[2] ?? join(root, 'examples/acme')
const files = await writeAcmeExample(dir)
console.error(`wrote ${files.length} files to ${relative(process.cwd(), dir) || '.'}`)
