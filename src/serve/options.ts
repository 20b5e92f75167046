/** Flag values of `serve`, checked before anything starts. Pure apart from reading the TLS files. */
import {readFileSync} from 'node:fs'

import {UserInputError} from '../errors.js'

/** Shortest token accepted: a guessable token on a network port is no protection. */
export const MIN_TOKEN_LENGTH = 16

const SIZE_UNITS: Readonly<Record<string, number>> = {b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3}

/** `64MiB`, `500kb`, `1048576` → bytes. */
export function parseSize(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const unit = (m?.[2] || 'b').toLowerCase()
  const factor = SIZE_UNITS[unit]
  if (!m || factor === undefined || Number(m[1]) <= 0) {
    throw new UserInputError('BAD_SIZE', `--${flag} ${JSON.stringify(text)} is not a size`, {hint: 'For example 64MiB, 500KiB or 1GB.'})
  }
  return Math.round(Number(m[1]) * factor)
}

export function checkToken(token: string | undefined, env: string): string {
  if (!token)
    throw new UserInputError('SERVE_NO_TOKEN', 'serve needs a token', {
      hint: `Set ${env} (or --token); generate one with: openssl rand -hex 32`,
    })
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new UserInputError('SERVE_WEAK_TOKEN', `the token must be at least ${MIN_TOKEN_LENGTH} characters without spaces`, {
      hint: 'Generate one with: openssl rand -hex 32',
    })
  }
  return token
}

/** Read --cert and --key; both or neither. */
export function readTls(cert: string | undefined, key: string | undefined): {cert: Buffer; key: Buffer} | undefined {
  if (!cert && !key) return undefined
  if (!cert || !key)
    throw new UserInputError('SERVE_TLS_PAIR', '--cert and --key go together', {hint: 'Give both PEM files, or neither for plain HTTP.'})
  const read = (file: string): Buffer => {
    try {
      return readFileSync(file)
    } catch (error) {
      throw new UserInputError(
        'SERVE_TLS_FILE',
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        {
          location: {file},
          hint: 'Give PEM files readable by this user.',
        },
      )
    }
  }
  return {cert: read(cert), key: read(key)}
}
