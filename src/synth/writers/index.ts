/** Writers of synthetic estates, every one streaming: nothing builds a whole file in memory. */
export {writeRvtoolsXlsx, type RvtoolsXlsxOptions, type WriteStats} from './rvtools-xlsx.js'
export {writeRvtoolsCsv, type RvtoolsCsvOptions} from './rvtools-csv.js'
export {
  rvtoolsSheets,
  RV_SHEETS,
  attributeKeys,
  portGroup,
  type RvSheet,
  type RvSheetName,
  type RvtoolsOptions,
  type RvCell,
} from './rvtools-sheets.js'
export {writeConnectionsCsv, CONNECTIONS_CSV_HEADER} from './connections-csv.js'
export {writeAgentFiles, agentFileFor, byteSwapUuid, vmwareSerial, ConnectionAggregator, type AgentFileOptions} from './agent.js'
export {writeAwsImportTemplate, awsTemplateRow, AWS_IMPORT_TEMPLATE_HEADER} from './aws-template.js'
export {TextFileWriter, csvCell, csvLine, excelSerial, type CsvValue} from './text.js'
export {setZipTimestamps} from './zip-time.js'
export {dosDateTime} from '../../util/dos-time.js'
