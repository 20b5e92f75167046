/**
 * Column mappings for generic CSV imports: `--map hostname=Name,memory_mib=RAM`, `--map @map.yaml`
 * or `--map cmdb` naming a mapping in migrate-plan.yaml (`import.maps.cmdb`).
 */
import {readFileSync} from 'node:fs'

import {parse as parseYaml} from 'yaml'

import {UserInputError} from '../errors.js'
import type {Settings} from '../model/settings.js'

export function parseMapFlag(flag: string, settings: Settings): Record<string, string> {
  const value = flag.trim()
  if (value.startsWith('@')) {
    const file = value.slice(1)
    let data: unknown
    try {
      data = parseYaml(readFileSync(file, 'utf8'))
    } catch (error) {
      throw new UserInputError('MAP_FILE', `cannot read the mapping file: ${(error as Error).message}`, {
        location: {file},
        hint: 'A mapping file is YAML: `hostname: Name` per line.',
      })
    }
    if (!data || typeof data !== 'object' || Array.isArray(data) || !Object.values(data).every((v) => typeof v === 'string')) {
      throw new UserInputError('MAP_FILE', 'a mapping file must map field names to column headers', {
        location: {file},
        hint: 'Example:\nhostname: Name\nmemory_mib: RAM',
      })
    }
    return data as Record<string, string>
  }
  if (!value.includes('=')) {
    const named = settings.import.maps[value]
    if (!named) {
      throw new UserInputError('MAP_UNKNOWN', `no mapping named ${JSON.stringify(value)} in migrate-plan.yaml (import.maps)`, {
        hint: 'Give field=Header pairs, @file.yaml, or the name of a mapping under import.maps.',
      })
    }
    return {...named}
  }
  const out: Record<string, string> = {}
  for (const pair of value.split(',')) {
    const i = pair.indexOf('=')
    const field = pair.slice(0, i).trim()
    const header = pair.slice(i + 1).trim()
    if (i < 1 || !header) {
      throw new UserInputError('MAP_SYNTAX', `cannot read ${JSON.stringify(pair)} in --map`, {
        hint: 'Write field=Header pairs separated by commas: --map hostname=Name,memory_mib=RAM',
      })
    }
    out[field] = header
  }
  return out
}
