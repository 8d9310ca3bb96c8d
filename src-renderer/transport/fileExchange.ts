// Files in and out of the core, which reads and writes paths on its own machine that a window may not name. In
// browser mode a file is uploaded to the server (which imports it from a temp copy) and an export comes back as a
// download; in Electron the page hands the preload the File itself, and the main process asks where to save:
// the page never holds or sends a path.
import type { ExportOptions, ExportResult, ExchangeFormat, ImportSummary } from '@shared/api';
import { API_EXPORT_PATH, API_IMPORT_PATH, TOKEN_HEADER } from '@shared/http';
import { ApiCallError } from './httpTransport';

export type ExportChoice = Omit<ExportOptions, 'out'>;

export interface FileExchange {
  /** 'download' (browser) or 'save' (desktop): how an export reaches the person. */
  readonly exportTo: 'download' | 'save';
  /** Imports one file; `onUpload` reports the bytes sent, where the file has to travel first. */
  importFile(file: File, format: ExchangeFormat | 'auto', onUpload?: (sent: number, total: number) => void): Promise<ImportSummary>;
  /** Writes an export and hands it to the person; null when they cancelled the save dialog. */
  exportRuns(options: ExportChoice, fileName: string): Promise<ExportResult | null>;
  /** Desktop only: the system's open dialog, then an import of what the person chose; null when they cancelled. */
  importWithDialog?(format: ExchangeFormat | 'auto'): Promise<ImportSummary | null>;
}

function errorFrom(status: number, text: string, what: string): ApiCallError {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.message) return new ApiCallError(body.error.code ?? 'E_UNKNOWN', body.error.message);
  } catch {
    // not JSON: said below
  }
  return new ApiCallError('E_BAD_RESPONSE', `${what}: the server answered ${status} without an explanation`);
}

export function httpFileExchange(token: string, doc: Document = document): FileExchange {
  return {
    exportTo: 'download',
    importFile(file, format, onUpload) {
      // XMLHttpRequest, not fetch: it reports upload progress.
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${API_IMPORT_PATH}?name=${encodeURIComponent(file.name)}&format=${encodeURIComponent(format)}`);
        xhr.setRequestHeader(TOKEN_HEADER, token);
        xhr.setRequestHeader('content-type', 'application/octet-stream');
        xhr.upload.onprogress = (e) => onUpload?.(e.loaded, e.lengthComputable ? e.total : file.size);
        xhr.onerror = () => reject(new ApiCallError('E_NETWORK', `import of ${file.name}: the Snapshot Studio server did not answer`));
        xhr.onload = () => {
          if (xhr.status !== 200) return reject(errorFrom(xhr.status, xhr.responseText, `import of ${file.name}`));
          resolve((JSON.parse(xhr.responseText) as { result: ImportSummary }).result);
        };
        xhr.send(file);
      });
    },
    async exportRuns(options, fileName) {
      const response = await fetch(API_EXPORT_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify({ options, fileName }),
      });
      const text = await response.text();
      if (!response.ok) throw errorFrom(response.status, text, 'export');
      const result = (JSON.parse(text) as { result: ExportResult & { download: string } }).result;
      // The download link is good once; the page's cookie carries the token.
      const link = doc.createElement('a');
      link.href = result.download;
      link.download = result.file;
      link.hidden = true;
      doc.body.append(link);
      link.click();
      link.remove();
      return { file: result.file, runs: result.runs, snapshots: result.snapshots, redacted: result.redacted };
    },
  };
}

/** What Electron's preload adds to window.studio for files (src-main/electron/preload.ts, DesktopFiles). */
export interface DesktopFileBridge {
  importGivenFile(file: File, format: ExchangeFormat | 'auto'): Promise<ImportSummary>;
  importWithDialog(format: ExchangeFormat | 'auto'): Promise<ImportSummary | null>;
  exportWithDialog(options: ExportChoice, suggestedName: string): Promise<ExportResult | null>;
}

export function desktopFileExchange(bridge: DesktopFileBridge): FileExchange {
  return {
    exportTo: 'save',
    importFile: (file, format) => bridge.importGivenFile(file, format),
    importWithDialog: (format) => bridge.importWithDialog(format),
    exportRuns: (options, fileName) => bridge.exportWithDialog(options, fileName),
  };
}
