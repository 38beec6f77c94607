export * from './lib/pdf-document';
export * from './lib/vietnamese-format';
export * from './lib/spreadsheet-table';
export * from './lib/xlsx-bounds';
export * from './lib/uploaded-table';
export * from './lib/uploaded-workbook';
export { newWorkbook } from './lib/exceljs';
