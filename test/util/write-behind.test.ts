/** The write-behind thread: every byte lands in the right file, renamed into place; failures come back with their file. */
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {MANIFEST_FILE, OutputFolder} from '../../src/util/output.js'
import {WriteBehind, WriteBehindError} from '../../src/util/write-behind.js'
import {tempDir as makeTempDir} from '../helpers/cli.js'

const dirs: ReturnType<typeof makeTempDir>[] = []
const tempDir = (): string => {
  const d = makeTempDir('mp-write-behind-')
  dirs.push(d)
  return d.dir
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup()
})

const MIB = 1 << 20

/** A string of `bytes` UTF-8 bytes or a little more, mixing 1-, 2-, 3- and 4-byte characters. */
function text(bytes: number, seed: number): string {
  const chars = ['a', 'é', '€', '😀', '\n', 'z']
  let s = ''
  let n = 0
  for (let i = seed; n < bytes; i++) {
    const c = chars[(i * 7 + (i >> 3)) % chars.length]!
    s += c
    n += Buffer.byteLength(c)
  }
  return s
}

describe('WriteBehind', () => {
  it('writes strings, buffers and reused pieces of any size byte for byte, more files than it has buffers', () => {
    const dir = tempDir()
    const w = new WriteBehind()
    const expected = new Map<string, Buffer>()
    const hand = (name: string, content: string | Uint8Array | Iterable<Uint8Array>, bytes: Buffer): void => {
      const path = join(dir, 'sub', name)
      expect(w.write(path, `${path}.tmp`, content)).toBe(bytes.byteLength)
      expected.set(path, bytes)
    }
    for (const [i, size] of [0, 1, 4 * MIB - 1, 4 * MIB, 4 * MIB + 1, 9 * MIB + 3, 100].entries()) {
      const s = text(size, i)
      hand(`s${i}.txt`, s, Buffer.from(s, 'utf8'))
    }
    const big = Buffer.from(text(10 * MIB, 99), 'utf8')
    hand('bytes.bin', new Uint8Array(big), big)
    // Pieces that reuse one buffer, as the JSON export's do: each must be taken before the next is made.
    const pieces = function* (): Generator<Uint8Array> {
      const piece = Buffer.alloc(3 * MIB)
      for (let k = 0; k < 5; k++) {
        piece.fill(65 + k)
        yield piece.subarray(0, 3 * MIB - k)
      }
    }
    const copies: Buffer[] = []
    for (const p of pieces()) copies.push(Buffer.from(p))
    hand('pieces.bin', pieces(), Buffer.concat(copies))
    for (let i = 0; i < 20; i++) hand(`small${i}.yaml`, `n: ${i}\n`, Buffer.from(`n: ${i}\n`))
    expect(w.sync()).toEqual([])
    for (const [path, bytes] of expected) expect(readFileSync(path).equals(bytes), path).toBe(true)
    // Renamed into place: no temporary file is left.
    expect(readdirSync(join(dir, 'sub')).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('returns a failure with its file, removes its temporary file, and goes on with the next files', () => {
    const dir = tempDir()
    const w = new WriteBehind()
    const taken = join(dir, 'taken')
    mkdirSync(join(taken, 'inside'), {recursive: true}) // a non-empty folder where a file should land: the rename fails
    w.write(join(dir, 'before.txt'), join(dir, 'before.txt.tmp'), 'before')
    w.write(taken, `${taken}.tmp`, text(5 * MIB, 1))
    w.write(join(dir, 'after.txt'), join(dir, 'after.txt.tmp'), 'after')
    const errors = w.sync()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(WriteBehindError)
    expect(errors[0]!.path).toBe(taken)
    expect(existsSync(`${taken}.tmp`)).toBe(false)
    expect(readFileSync(join(dir, 'before.txt'), 'utf8')).toBe('before')
    expect(readFileSync(join(dir, 'after.txt'), 'utf8')).toBe('after')
    // Reported once.
    w.write(join(dir, 'again.txt'), join(dir, 'again.txt.tmp'), 'again')
    expect(w.sync()).toEqual([])
  })

  it('content that fails while it is made leaves no temporary file, and the writer goes on', () => {
    const dir = tempDir()
    const w = new WriteBehind()
    const path = join(dir, 'broken.json')
    const failing = function* (): Generator<Uint8Array> {
      yield Buffer.alloc(5 * MIB, 65) // more than one buffer: part of it is with the thread already
      throw new Error('the generator broke')
    }
    expect(() => w.write(path, `${path}.tmp`, failing())).toThrow(/the generator broke/)
    w.write(join(dir, 'next.txt'), join(dir, 'next.txt.tmp'), 'next')
    expect(w.sync()).toEqual([])
    expect(readdirSync(dir).sort()).toEqual(['next.txt'])
  })
})

describe('OutputFolder through the write-behind thread', () => {
  it('finish throws a failed file of its own, after the others landed, and writes no manifest', () => {
    const dir = tempDir()
    const folder = new OutputFolder(dir)
    mkdirSync(join(dir, 'b.yaml', 'x'), {recursive: true})
    folder.write('a.yaml', 'a: 1\n')
    folder.write('b.yaml', 'b: 2\n')
    expect(() => folder.finish()).toThrow(WriteBehindError)
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('a: 1\n')
    expect(existsSync(join(dir, MANIFEST_FILE))).toBe(false)
  })

  it('a folder abandoned without waiting does not fail the next one', () => {
    const first = tempDir()
    writeFileSync(join(first, 'note.txt'), 'x')
    const abandoned = new OutputFolder(first)
    mkdirSync(join(first, 'c.yaml', 'x'), {recursive: true})
    abandoned.write('c.yaml', 'c: 3\n') // fails in the thread; nobody waits for it
    const next = new OutputFolder(tempDir())
    next.write('d.yaml', 'd: 4\n')
    expect(next.finish().written).toEqual(['d.yaml'])
  })
})
