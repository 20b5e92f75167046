/** Golden files: compare a generated file map with test/golden/<case>/; UPDATE_GOLDEN=1 rewrites them. */
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'

import {expect} from 'vitest'

import {contentBytes, type FileMap} from '../../src/util/output.js'
import {ROOT} from '../helpers/cli.js'

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, {recursive: true, withFileTypes: true})
      .filter((d) => d.isFile())
      .map((d) => relative(dir, join(d.parentPath, d.name)).split('\\').join('/'))
      .sort()
  } catch {
    return []
  }
}

export function expectGolden(caseName: string, files: FileMap): void {
  const dir = join(ROOT, 'test/golden', caseName)
  if (process.env.UPDATE_GOLDEN) {
    rmSync(dir, {recursive: true, force: true})
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), {recursive: true})
      writeFileSync(join(dir, path), contentBytes(content))
    }
    return
  }
  expect(Object.keys(files).sort(), `files of ${caseName} (UPDATE_GOLDEN=1 rewrites)`).toEqual(listFiles(dir))
  for (const [path, content] of Object.entries(files)) {
    expect(String(content), `${caseName}/${path} (UPDATE_GOLDEN=1 rewrites)`).toBe(readFileSync(join(dir, path), 'utf8'))
  }
}
