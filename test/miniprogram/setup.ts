// The build-time constant config/index.ts defines; the H5 value (same origin).
(globalThis as { LINLI_API_BASE?: string }).LINLI_API_BASE = '';
