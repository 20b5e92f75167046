/** The report and export renderers: pure functions over the stored documents (src/report/documents.ts). */
export {joinServers, rightSizing, type JoinedServer, type ReportDocuments} from './documents.js'
export {applicationGraphs, type ApplicationGraphs} from './dependencies.js'
export {EXPORT_FORMATS, exportFiles, type ExportFormat} from './export.js'
export {reportFigures, type ReportFigures} from './figures.js'
export {embedJson, renderReport, TABLE_COLUMNS, type RenderedReport, type ReportTemplates} from './html.js'
export {loadReportTemplates} from './templates.js'
