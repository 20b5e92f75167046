/**
 * Loading the report's templates from templates/report/ (page, partials, CSS, script): the one
 * piece of file access in src/report. Commands and the pipeline call it and hand the sources to the
 * pure renderer, so tests can pass their own.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {templatesDir} from '../generate/templates.js'
import type {ReportTemplates} from './html.js'

export function loadReportTemplates(dir = join(templatesDir(), 'report')): ReportTemplates {
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8')
  const partials = Object.fromEntries(
    readdirSync(join(dir, 'partials'))
      .filter((f) => f.endsWith('.hbs'))
      .sort()
      .map((f) => [f.slice(0, -'.hbs'.length), read(join('partials', f))]),
  )
  return {page: read('report.hbs'), partials, css: read('report.css'), script: read('report.js')}
}
