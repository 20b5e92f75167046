/**
 * Zip writers stamp every entry with the time it was written, so the same workbook written twice
 * differs. This sets every entry's DOS date/time, in the local headers and the central directory,
 * to one fixed moment, in place, reading only the central directory.
 */
import {open} from 'node:fs/promises'

import {dosDateTime} from '../../util/dos-time.js'

const SIG_EOCD = 0x06054b50
const SIG_CFH = 0x02014b50
const SIG_LFH = 0x04034b50

/** Rewrite the modification time of every entry of the zip at `path`. */
export async function setZipTimestamps(path: string, when: Date): Promise<void> {
  const {date, time} = dosDateTime(when)
  const fh = await open(path, 'r+')
  try {
    const {size} = await fh.stat()
    const tailLength = Math.min(size, 22 + 65_535)
    const tail = Buffer.alloc(tailLength)
    await fh.read(tail, 0, tailLength, size - tailLength)
    let eocd = -1
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === SIG_EOCD) {
        eocd = i
        break
      }
    }
    if (eocd < 0) throw new Error(`${path}: not a zip file (no end of central directory)`)
    const entries = tail.readUInt16LE(eocd + 10)
    const cdSize = tail.readUInt32LE(eocd + 12)
    const cdOffset = tail.readUInt32LE(eocd + 16)
    if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
      throw new Error(`${path}: zip64 archives are not supported here`)
    const cd = Buffer.alloc(cdSize)
    await fh.read(cd, 0, cdSize, cdOffset)
    const local = Buffer.alloc(4)
    const stamp = Buffer.alloc(4)
    stamp.writeUInt16LE(time, 0)
    stamp.writeUInt16LE(date, 2)
    for (let p = 0, n = 0; n < entries; n++) {
      if (cd.readUInt32LE(p) !== SIG_CFH) throw new Error(`${path}: damaged central directory`)
      cd.writeUInt16LE(time, p + 12)
      cd.writeUInt16LE(date, p + 14)
      const headerOffset = cd.readUInt32LE(p + 42)
      await fh.read(local, 0, 4, headerOffset)
      if (local.readUInt32LE(0) !== SIG_LFH) throw new Error(`${path}: damaged local header`)
      await fh.write(stamp, 0, 4, headerOffset + 10)
      p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32)
    }
    await fh.write(cd, 0, cdSize, cdOffset)
  } finally {
    await fh.close()
  }
}
