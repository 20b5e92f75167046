import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {isSecretKey, redactArgv, REDACTED, redactSecrets} from '../../src/collect/redact.js'

// Characters a secret may contain on a command line: anything printable but white space and quotes.
const SECRET_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[\\]^_`{|}~']
const secret = fc.string({unit: fc.constantFrom(...SECRET_CHARS), minLength: 8, maxLength: 40})
const BEARER_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~+/=-']
const bearer = fc.string({unit: fc.constantFrom(...BEARER_CHARS), minLength: 12, maxLength: 60})
const UPPER_DIGITS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567']
const awsKeyId = fc
  .tuple(fc.constantFrom('AKIA', 'ASIA'), fc.string({unit: fc.constantFrom(...UPPER_DIGITS), minLength: 16, maxLength: 16}))
  .map(([p, s]) => p + s)
const B64 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/']
const awsSecret = fc
  .string({unit: fc.constantFrom(...B64), minLength: 40, maxLength: 40})
  .filter((s) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s))
const noise = fc.array(fc.constantFrom('--verbose', '-p 8080', '/usr/bin/app', '--user admin', 'run', '--config=/etc/app.yml', 'x=1'), {
  maxLength: 3,
})

/** Templates where a generated secret sits in a position the redactor must recognise. */
const TEMPLATES: ReadonlyArray<(s: string) => string> = [
  (s) => `app --password ${s}`,
  (s) => `app --password=${s}`,
  (s) => `app -password ${s}`,
  (s) => `app --db-password=${s}`,
  (s) => `app --passwd ${s}`,
  (s) => `app --pwd=${s}`,
  (s) => `app --secret ${s}`,
  (s) => `app --client-secret=${s}`,
  (s) => `app --token ${s}`,
  (s) => `app --auth-token=${s}`,
  (s) => `app --api-key ${s}`,
  (s) => `app --apikey=${s}`,
  (s) => `app --api_key ${s}`,
  (s) => `app --access-key=${s}`,
  (s) => `app /password:${s}`,
  (s) => `app --password "${s.replace(/"/g, '')}"`,
  (s) => `env PASSWORD=${s} app`,
  (s) => `env DB_PASS=${s} app`,
  (s) => `env MYSQL_PWD=${s} mysqld`,
  (s) => `env GITHUB_TOKEN=${s} runner`,
  (s) => `env AWS_SECRET_ACCESS_KEY=${s} aws s3 ls`,
  (s) => `env API_KEY=${s} worker`,
  (s) => `worker client_secret=${s}`,
  (s) => `java -Djavax.net.ssl.keyStorePassword=${s} -jar app.jar`,
  (s) => `app --url https://user:${s}@example.com/path`,
  (s) => `app postgres://app:${s}@db.internal:5432/app`,
  (s) => `app mongodb+srv://u:${s}@cluster0.example.net/db`,
  (s) => `java -Ddb=jdbc:mysql://root:${s}@10.0.0.5:3306/x -jar a.jar`,
  (s) => `app redis://:${s}@cache:6379`,
  (s) => `app "Server=db;User Id=sa;Password=${s};"`,
  (s) => `app Server=db;Password=${s};Database=x`,
  (s) => `app app:${s}@db.internal`,
  (s) => `sqlplus scott/${s}@orcl`,
  (s) => `app --config {"password":"${s.replace(/["]/g, '')}","user":"u"}`,
  (s) => `app '{"token": "${s.replace(/[']/g, '')}"}'`,
  (s) => `mysql -u root -p${s} appdb`,
  (s) => `/usr/bin/mysqldump -p${s} --all-databases`,
  (s) => `sshpass -p ${s} ssh host`,
  (s) => `curl -u bob:${s} https://api.example.com`,
]

function assertGone(text: string, s: string): void {
  const out = redactSecrets(text)
  expect(out, `${JSON.stringify(text)} → ${JSON.stringify(out)}`).not.toContain(s)
  expect(redactSecrets(out)).toBe(out) // idempotent
}

describe('redactSecrets', () => {
  it('removes generated secrets from every recognised position (property)', () => {
    fc.assert(
      fc.property(fc.nat(TEMPLATES.length - 1), secret, noise, noise, (i, s, before, after) => {
        const template = TEMPLATES[i]!
        const body = template(s)
        const text = [body.split(' ')[0], ...before, ...body.split(' ').slice(1), ...after].join(' ')
        // The secret must not occur in the text for another reason (e.g. a secret of "--verbose").
        fc.pre(!template('\u0000').split('\u0000').join(' ').includes(s) && !before.join(' ').includes(s) && !after.join(' ').includes(s))
        const placed = text.includes(s) ? s : s.replace(/["']/g, '')
        fc.pre(placed.length >= 8)
        assertGone(text, placed)
      }),
      {numRuns: 4000, seed: 20261130},
    )
  })

  it('removes AWS access key ids and secret keys wherever they appear (property)', () => {
    fc.assert(
      fc.property(awsKeyId, awsSecret, fc.constantFrom('', 'aws ', '--key ', 'id=', '"', '('), (id, key, lead) => {
        const text = `tool ${lead}${id} other ${lead}${key} end`
        const out = redactSecrets(text)
        expect(out).not.toContain(id)
        expect(out).not.toContain(key)
      }),
      {numRuns: 1000, seed: 7},
    )
  })

  it('removes Authorization header credentials (property)', () => {
    fc.assert(
      fc.property(bearer, fc.constantFrom('Bearer', 'Basic', 'Token', 'bearer'), (token, scheme) => {
        fc.pre(!'curl -H "Authorization: " https://x'.includes(token))
        assertGone(`curl -H "Authorization: ${scheme} ${token}" https://x`, token)
      }),
      {numRuns: 500, seed: 3},
    )
  })

  it('removes PEM private key blocks, whole or cut off (property)', () => {
    const line = fc.string({unit: fc.constantFrom(...B64), minLength: 16, maxLength: 64})
    fc.assert(
      fc.property(
        fc.array(line, {minLength: 1, maxLength: 5}),
        fc.constantFrom('RSA ', 'EC ', 'OPENSSH ', '', 'ENCRYPTED '),
        fc.boolean(),
        (lines, kind, cut) => {
          const pem = `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n')}\n${cut ? '' : `-----END ${kind}PRIVATE KEY-----`}`
          const out = redactSecrets(`app --key "${pem}" --verbose`)
          for (const l of lines) expect(out).not.toContain(l)
          expect(out).toContain(REDACTED)
        },
      ),
      {numRuns: 500, seed: 11},
    )
  })

  it.each([
    ['app --port 8080 --user admin', 'app --port 8080 --user admin'],
    ['node server.js --password-file /run/secrets/db', 'node server.js --password-file /run/secrets/db'],
    ['git fetch git@github.com:org/repo.git', 'git fetch git@github.com:org/repo.git'],
    ['node /usr/lib/node_modules/@babel/core/cli.js', 'node /usr/lib/node_modules/@babel/core/cli.js'],
    ['git checkout 3f786850e387550fdab836ed7e6dc881de23001b', 'git checkout 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['nginx -g daemon off;', 'nginx -g daemon off;'],
    ['postgres -D /var/lib/postgresql/15/main -p 5432', 'postgres -D /var/lib/postgresql/15/main -p 5432'],
    ['app --bypass-cache=true --compass north', 'app --bypass-cache=true --compass north'],
  ])('keeps what is not a secret: %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
  })

  it.each([
    ['mysql -uroot -pS3cret! db', 'mysql -uroot -p[REDACTED] db'],
    ['app --db postgres://u:pw@h:5432/d', 'app --db postgres://u:[REDACTED]@h:5432/d'],
    ['Server=db;User Id=sa;Password=abc;Database=x', 'Server=db;User Id=sa;Password=[REDACTED]'],
    ['x --config {"password":"abc","user":"u"}', 'x --config {"password":[REDACTED],"user":"u"}'],
    ['git clone https://ghp_abcdefghij0123456789xyz@github.com/o/r', 'git clone https://[REDACTED]@github.com/o/r'],
    [
      'curl -H "Authorization: Bearer abc.def" -u bob:hunter2 https://x',
      'curl -H "Authorization: Bearer [REDACTED]" -u bob:[REDACTED] https://x',
    ],
  ])('redacts %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
  })
})

describe('redactArgv', () => {
  it('removes secrets containing spaces, which a joined command line cannot delimit (property)', () => {
    const spaced = fc.array(secret, {minLength: 2, maxLength: 3}).map((parts) => parts.join(' '))
    fc.assert(
      fc.property(spaced, fc.constantFrom('--password', '--token', '-secret', '--api-key'), fc.boolean(), (s, flag, attached) => {
        const argv = attached ? ['/opt/app/bin/app', '--verbose', `${flag}=${s}`] : ['/opt/app/bin/app', flag, s, '--verbose']
        const out = redactArgv(argv)
        for (const part of s.split(' ')) {
          fc.pre(!'/opt/app/bin/app --verbose'.includes(part) && !flag.includes(part))
          expect(out).not.toContain(part)
        }
      }),
      {numRuns: 1000, seed: 5},
    )
  })

  it('removes the argument after sshpass -p and keeps the rest', () => {
    expect(redactArgv(['sshpass', '-p', 'pa ss', 'ssh', 'db01'])).toBe('sshpass -p [REDACTED] ssh db01')
    expect(redactArgv(['app', '--port', '80'])).toBe('app --port 80')
  })
})

describe('isSecretKey', () => {
  it.each([
    ['--password', true],
    ['DB_PASS', true],
    ['MYSQL_PWD', true],
    ['keyStorePassword', true],
    ['x-api-key', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['client_secret', true],
    ['GITHUB_TOKEN', true],
    ['--password-file', false],
    ['--port', false],
    ['--user', false],
    ['--key', false],
    ['--bypass', false],
    ['PATH', false],
  ])('%s → %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected)
  })
})
