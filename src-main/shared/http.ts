// The browser shell's wire format, shared by the server and the renderer's HTTP transport.
//   POST /api/call/<method>   body: JSON array of the method's arguments
//                             200 {"result": ...} · 4xx/5xx {"error": {"code", "message"}}
//   GET  /api/events          text/event-stream; each message's data is one StudioEvent as JSON
// API calls (/api/call, /api/import, /api/export) carry the token in the X-Studio-Token header, with Content-Type
// application/json (an upload: application/octet-stream). The page's own loads may carry it as ?token= or the
// studio_token cookie that GET /?token=... sets; the event stream as ?token= (EventSource cannot set headers).
export const API_CALL_PREFIX = '/api/call/';
export const API_EVENTS_PATH = '/api/events';
export const TOKEN_HEADER = 'x-studio-token';
export const TOKEN_QUERY = 'token';
export const TOKEN_COOKIE = 'studio_token';
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** The bytes of unfinished call bodies the server holds across all requests at once. */
export const MAX_HELD_BODY_BYTES = 32 * 1024 * 1024;

// Files cross the browser shell as bytes, since the core takes paths on its own machine:
//   POST /api/import?name=<file name>[&format=<format>]   body: the file's bytes; 200 {"result": ImportSummary}
//   POST /api/export                body: {"options": ExportOptions without out, "fileName"}; 200 {"result": ExportResult & {download}}
//   GET  /api/download/<id>         the exported file, once (attachment), then deleted
export const API_IMPORT_PATH = '/api/import';
export const API_EXPORT_PATH = '/api/export';
export const API_DOWNLOAD_PREFIX = '/api/download/';
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
