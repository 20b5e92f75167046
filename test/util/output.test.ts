/** Output folders: files land atomically, the manifest lists them, and a rerun prunes only its own stale files. */
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'

import {MANIFEST_FILE, OutputFolder, utf8Pieces, writeFiles} from '../../src/util/output.js'

const dirs: string[] = []
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mp-output-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
})

/** Every file under `dir`, relative and sorted, with its text. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of readdirSync(dir, {recursive: true, withFileTypes: true}))
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length + 1)] = readFileSync(join(e.parentPath, e.name), 'utf8')
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

describe('OutputFolder', () => {
  it('written a file at a time, in any order, gives the same folder and result as writeFiles', () => {
    const files = {'b/two.yaml': 'two\n', 'a.md': '# a\n', 'b/one.yaml': 'one: 1\n'}
    const whole = tempDir()
    const expected = writeFiles(whole, files)
    const piecewise = tempDir()
    const folder = new OutputFolder(piecewise)
    for (const p of ['b/one.yaml', 'a.md', 'b/two.yaml']) folder.write(p, files[p as keyof typeof files])
    const result = folder.finish()
    expect(tree(piecewise)).toEqual(tree(whole))
    expect({...result, dir: ''}).toEqual({...expected, dir: ''})
    expect(result.written).toEqual(['a.md', 'b/one.yaml', 'b/two.yaml'])
  })

  it('a rerun removes the files of the previous run it did not write again, and nothing else', () => {
    const dir = tempDir()
    writeFiles(dir, {'old.yaml': 'x', 'kept.yaml': 'y'})
    writeFileSync(join(dir, 'mine.txt'), 'a user file')
    const folder = new OutputFolder(dir)
    folder.write('kept.yaml', 'y2')
    folder.write('new.yaml', 'z')
    const result = folder.finish()
    expect(result.removed).toEqual(['old.yaml'])
    expect(tree(dir)).toEqual({
      [MANIFEST_FILE]: `${JSON.stringify({generator: 'migrate-plan', files: ['kept.yaml', 'new.yaml']}, null, 2)}\n`,
      'kept.yaml': 'y2',
      'mine.txt': 'a user file',
      'new.yaml': 'z',
    })
  })

  it('abandon removes what this run wrote that the previous manifest does not list, and leaves the manifest', () => {
    const dir = tempDir()
    writeFiles(dir, {'kept.yaml': 'y'})
    const manifest = readFileSync(join(dir, MANIFEST_FILE), 'utf8')
    const folder = new OutputFolder(dir)
    folder.write('kept.yaml', 'y2')
    folder.write('part/new.yaml', 'z')
    folder.abandon()
    expect(existsSync(join(dir, 'part/new.yaml'))).toBe(false)
    expect(readFileSync(join(dir, 'kept.yaml'), 'utf8')).toBe('y2')
    expect(readFileSync(join(dir, MANIFEST_FILE), 'utf8')).toBe(manifest)
  })

  it('refuses a path outside the folder and a file written twice', () => {
    const folder = new OutputFolder(tempDir())
    expect(() => folder.write('../escape.txt', 'x')).toThrow(/outside the output folder/)
    folder.write('a.txt', 'x')
    expect(() => folder.write('a.txt', 'y')).toThrow(/written twice/)
    folder.abandon() // waits for a.txt to land before the folder is removed
  })

  it('refuses a file where the folder should be', () => {
    const file = join(tempDir(), 'file')
    writeFileSync(file, '')
    expect(() => new OutputFolder(file)).toThrow(/is not a folder/)
  })
})

describe('utf8Pieces', () => {
  const text = fc.array(fc.oneof(fc.string({unit: 'binary', maxLength: 40}), fc.constantFrom('é', '€', '😀', '\r\n', '')), {maxLength: 60})

  it('pieces that join to the UTF-8 of the texts, none over the piece size unless one text needs more', () => {
    fc.assert(
      fc.property(text, fc.integer({min: 4, max: 64}), (texts, size) => {
        const pieces: Buffer[] = []
        // A piece may be overwritten once the next is asked for: copy each as it comes.
        for (const p of utf8Pieces(texts, size)) pieces.push(Buffer.from(p))
        expect(Buffer.concat(pieces).equals(Buffer.from(texts.join(''), 'utf8'))).toBe(true)
        for (const p of pieces) expect(p.length).toBeGreaterThan(0)
        const longest = Math.max(0, ...texts.map((t) => t.length * 3))
        for (const p of pieces) expect(p.length).toBeLessThanOrEqual(Math.max(size, longest))
      }),
      {numRuns: 400, seed: 20261201},
    )
  })
})
