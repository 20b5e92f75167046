/**
 * Synthetic estates: the public API of src/synth, for benchmarks, tests and the bundled example.
 *
 *   const estate = generateEstate({servers: 100_000, connectionRecords: 2_000_000, seed: 1})
 *   estate.servers            // SynthServer[], planted applications and shared services
 *   estate.truth.get(name)    // 'billing' or 'shared:dns'
 *   for (const c of estate.connections()) …   // lazy, same sequence every call
 *   await writeRvtoolsXlsx(estate, 'RVTools_export.xlsx')
 *
 * Building blocks for hand-made estates (see src/synth/acme.ts): `buildServer`, `applicationEdges`,
 * `sharedServiceEdges`, `assembleEstate`, and the catalogs of OSes, software, tiers and services.
 */
export * from './types.js'
export {Random, hash32} from './random.js'
export * from './catalog.js'
export * from './build.js'
export * from './flows.js'
export * from './estate.js'
export * from './writers/index.js'
export {acmeEstate, writeAcmeExample, ACME_VMS, ACME_AGENT_HOSTS, ACME_SWAPPED_UUID_HOSTS, ACME_SETTINGS_YAML} from './acme.js'
