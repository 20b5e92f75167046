/**
 * Where the effective catalog comes from for a command: the embedded data, plus the workspace's
 * `catalog` document (written by `catalog refresh`) when a workspace exists.
 */
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {CATALOG_REFRESH_SCHEMA_VERSION, type Catalog, type CatalogRefreshDocument} from '../model/catalog.js'
import {DATABASE_FILE, type Workspace} from '../workspace/workspace.js'
import {loadCatalog} from './catalog.js'

/** Workspace document kind holding the refreshed catalog. */
export const CATALOG_DOCUMENT = 'catalog'

/** The refresh document stored in the workspace, if any (documents of another schema version are ignored). */
export function storedRefresh(ws: Pick<Workspace, 'loadDocument'>): CatalogRefreshDocument | undefined {
  const doc = ws.loadDocument<CatalogRefreshDocument>(CATALOG_DOCUMENT)
  return doc?.schemaVersion === CATALOG_REFRESH_SCHEMA_VERSION ? doc : undefined
}

export function workspaceCatalog(ws: Pick<Workspace, 'loadDocument'> | undefined): Catalog {
  return loadCatalog(ws ? storedRefresh(ws) : undefined)
}

/** True when `dir` holds a workspace database (commands that work without one check this first). */
export function hasWorkspace(dir: string): boolean {
  return existsSync(join(resolve(dir), DATABASE_FILE))
}
