/**
 * Secrets never leave the server: command lines are redacted before they are stored or sent.
 * Pure; shared by the agent (`collect`) and agentless discovery (`discover ssh`).
 *
 * What is removed (each replaced by {@link REDACTED}):
 * - PEM private key blocks (`-----BEGIN … PRIVATE KEY-----` to its END line, or to the end when cut off);
 * - the password of `scheme://user:password@host` and of `user:password@host`, Oracle-style
 *   `user/password@db`, and a token used as the whole user part of a URL (`https://ghp_…@host`);
 * - the value of any `key=value`, `key: value`, `"key": "value"`, `--key value`, `-key value` or
 *   `/key:value` whose key names a secret (password, passwd, pwd, pass, passphrase, secret, token,
 *   credential, api key, access key, private key, client secret …), including `-Dx.keyStorePassword=`;
 * - `Authorization: Bearer|Basic|Token …` values;
 * - AWS access key ids (`AKIA…`, `ASIA…` and the other 4-letter id prefixes) and anything shaped like
 *   an AWS secret access key (40 base64 characters with upper case, lower case and a digit);
 * - the `-pPASSWORD` argument of mysql/mariadb clients and `sshpass -p PASSWORD`; curl-style `-u user:password`.
 *
 * It errs on the side of removing too much: a value after a secret-named key is removed up to the next
 * white space outside quotes, so `Password=x;Database=y` loses `Database=y` as well.
 */

export const REDACTED = '[REDACTED]'

/**
 * A value after a key: a quoted string (an unclosed quote runs to the end) and what sticks to it
 * (`'ab'cd`), stopping at a list separator (`"a","b"`); or else everything up to white space.
 */
const VALUE = /(?:"[^"]*(?:"|$)|'[^']*(?:'|$))[^\s"',;})\]]*|\S+/y
/** An HTTP authorization credential. */
const AUTH_VALUE = /[A-Za-z0-9._~+/=-]+/y
const KEY = String.raw`[A-Za-z0-9_.\-]*[A-Za-z0-9]`

const PEM = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g
const URL_USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s:/@"']*):(\S*)@/g
const URL_TOKEN_USER = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([A-Za-z0-9_.~-]{20,})@/g
const BARE_USERINFO = /(^|[\s"'=,;(])([A-Za-z0-9_.\-$]*):(?!\/\/)(\S+)@(?=[A-Za-z0-9[])/g
const ORACLE_USERINFO = /(^|[\s"'=,;(:])([A-Za-z][A-Za-z0-9_$#]*)\/([^\s@]+)@/g
/** `key=`, `key: `, `"key": `, `/key:` — the value follows. */
const ASSIGNMENT = new RegExp(String.raw`(?<![A-Za-z0-9_.\-])(${KEY})["']?\s*[=:]\s*`, 'g')
/** `--key `, `-key `, `/key ` — the value is the next word. */
const FLAG = new RegExp(String.raw`(?<![^\s"'])((?:--?|/)${KEY})\s+`, 'g')
const AUTH_SCHEME = /\b(?:Bearer|Basic|Token|Digest)\s+/gi
const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|APKA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g
const AWS_SECRET = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g
const ATTACHED_P = /(?<!\S)-p(?=\S)/g
const SPACED_P = /(?<!\S)-p\s+/g
const USER_PASS_FLAG = /(^|\s)(-u|--user)(\s+|=)([^\s:]+):(\S+)/g

const SECRET_WORDS = new Set([
  'pass',
  'pw',
  'pwd',
  'passwd',
  'password',
  'passwords',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'apikey',
  'sas',
])
const SECRET_PARTS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'credential', 'apikey', 'privatekey', 'accesskey']
const KEY_PREFIXES = new Set([
  'api',
  'access',
  'private',
  'secret',
  'session',
  'master',
  'signing',
  'encryption',
  'auth',
  'account',
  'client',
])
/** Keys ending in these name where a secret is, not the secret itself. */
const NOT_SECRET_LAST = new Set(['file', 'path', 'dir', 'fd', 'env', 'prompt', 'policy', 'length', 'len', 'timeout', 'ttl', 'expiry', 'id'])

/** Words of a key: `-Djavax.net.ssl.keyStorePassword` → d javax net ssl key store password. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

/** Whether a key (flag, variable, setting name) names a secret. */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key)
  if (words.length === 0) return false
  if (NOT_SECRET_LAST.has(words.at(-1)!) && words.length > 1) return false
  for (const [i, w] of words.entries()) {
    if (SECRET_WORDS.has(w)) return true
    if (SECRET_PARTS.some((p) => w.includes(p))) return true
    if (w === 'key' && i > 0 && KEY_PREFIXES.has(words[i - 1]!)) return true
  }
  return false
}

function awsSecretShaped(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s)
}

/**
 * Replace the value that follows each match of `keyRe` for which `secret` holds. The scan resumes
 * right after a key that is not secret, so `Id=sa;Password=x` still finds `Password`.
 */
function redactValues(s: string, keyRe: RegExp, secret: (m: RegExpExecArray) => boolean, valueRe = VALUE): string {
  let out = ''
  let pos = 0
  keyRe.lastIndex = 0
  for (let m = keyRe.exec(s); m; m = keyRe.exec(s)) {
    if (m[0].length === 0) keyRe.lastIndex++
    if (!secret(m)) continue
    const start = m.index + m[0].length
    if (alreadyRedacted(s, start)) continue
    valueRe.lastIndex = start
    const v = valueRe.exec(s)
    if (!v || v[0] === REDACTED) continue
    out += s.slice(pos, start) + REDACTED
    pos = start + v[0].length
    keyRe.lastIndex = pos
  }
  return out + s.slice(pos)
}

const always = (): boolean => true

/** Whether a value at `start` is our own marker (so that redacting twice changes nothing). */
function alreadyRedacted(s: string, start: number): boolean {
  if (!s.startsWith(REDACTED, start)) return false
  const next = s[start + REDACTED.length]
  return next === undefined || /[\s,;})\]"'&]/.test(next)
}

/** A command line (or any text) with its secrets replaced by {@link REDACTED}. Pure and idempotent. */
export function redactSecrets(text: string): string {
  if (!text) return text
  let s = text.replace(PEM, (_m, kind: string, block: string | undefined) => {
    const label = `${kind}PRIVATE KEY${block ?? ''}`
    return `-----BEGIN ${label}-----${REDACTED}-----END ${label}-----`
  })
  s = s.replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`)
  s = s.replace(URL_TOKEN_USER, (m, scheme: string, user: string) =>
    /[0-9]/.test(user) && /[A-Za-z]/.test(user) ? `${scheme}${REDACTED}@` : m,
  )
  s = s.replace(BARE_USERINFO, (m, lead: string, user: string, pass: string) => (pass === REDACTED ? m : `${lead}${user}:${REDACTED}@`))
  s = s.replace(ORACLE_USERINFO, (m, lead: string, user: string, pass: string) => (pass === REDACTED ? m : `${lead}${user}/${REDACTED}@`))
  s = redactValues(s, AUTH_SCHEME, always, AUTH_VALUE)
  s = redactValues(s, ASSIGNMENT, (m) => isSecretKey(m[1]!))
  s = redactValues(s, FLAG, (m) => isSecretKey(m[1]!))
  s = s.replace(USER_PASS_FLAG, (m, lead: string, flag: string, sep: string, user: string, pass: string) =>
    pass === REDACTED ? m : `${lead}${flag}${sep}${user}:${REDACTED}`,
  )
  const program = (/^\s*"?([^\s"]+)/.exec(s)?.[1] ?? '').split(/[\\/]/).at(-1)!.toLowerCase()
  if (/^(mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlpump|mysqlsh|mariadb|mariadb-dump|mariadb-admin)(\.exe)?$/.test(program)) {
    s = redactValues(s, ATTACHED_P, always)
  }
  if (/^sshpass(\.exe)?$/.test(program)) {
    s = redactValues(s, SPACED_P, always)
    s = redactValues(s, ATTACHED_P, always)
  }
  s = s.replace(AWS_KEY_ID, REDACTED)
  s = s.replace(AWS_SECRET, (m) => (awsSecretShaped(m) ? REDACTED : m))
  return s
}

/** Largest command line kept, characters (the agent file schema allows 8192). */
export const MAX_COMMAND_CHARS = 8000

/** Redact, then cut to {@link MAX_COMMAND_CHARS}: redaction first, so a cut can never expose a secret's tail. */
export function redactCommand(command: string): string {
  const r = redactSecrets(command)
  return r.length > MAX_COMMAND_CHARS ? `${r.slice(0, MAX_COMMAND_CHARS)}…` : r
}

const ARG_ASSIGNMENT = /^((?:--?|\/)?[A-Za-z0-9_.-]*[A-Za-z0-9])["']?\s*[=:]/
const ARG_FLAG = /^(?:--?|\/)[A-Za-z0-9_.-]*[A-Za-z0-9]$/

/**
 * Redact a command given as its argument vector (as /proc/PID/cmdline has it), then join it with
 * spaces. Knowing where each argument ends, a secret containing spaces (`--password=my pass`) is
 * removed whole, and the argument after a secret flag (`--password`, `sshpass -p`) is removed entirely.
 */
export function redactArgv(argv: readonly string[]): string {
  const program = (argv[0] ?? '').split(/[\\/]/).at(-1)!.toLowerCase()
  const sshpass = /^sshpass(\.exe)?$/.test(program)
  const out: string[] = []
  let nextIsSecret = false
  for (const arg of argv) {
    if (nextIsSecret) {
      out.push(REDACTED)
      nextIsSecret = false
      continue
    }
    const assign = ARG_ASSIGNMENT.exec(arg)
    if (assign && isSecretKey(assign[1]!)) {
      out.push(arg.slice(0, assign[0].length) + REDACTED)
      continue
    }
    if ((ARG_FLAG.test(arg) && isSecretKey(arg)) || (sshpass && arg === '-p')) nextIsSecret = true
    out.push(arg)
  }
  return redactCommand(out.join(' '))
}
