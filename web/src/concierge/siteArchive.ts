// Sending a ZIP of the customer's own site (raw body, as the API expects) with upload progress, and taking it back.
import { ApiError, NetworkError, call, type ArchiveSummary } from '../api.ts';
import type { Locale } from '../i18n.ts';

const archiveUrl = (token: string, lang: Locale) => `/api/concierge/status/${encodeURIComponent(token)}/archive?lang=${lang}`;

/**
 * POST the file itself as the body (the server refuses a multipart form); XMLHttpRequest rather
 * than fetch because only it reports upload progress. The refusal comes back as an ApiError whose
 * message is the server's reason, in `lang`.
 */
export function uploadArchive(token: string, file: File, lang: Locale, onProgress: (fraction: number) => void): Promise<ArchiveSummary> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', archiveUrl(token, lang));
    xhr.setRequestHeader('content-type', 'application/zip');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = xhr.responseText ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as ArchiveSummary);
      else reject(new ApiError(xhr.status, String(body.code ?? `http_${xhr.status}`), String(body.message ?? xhr.statusText), body));
    };
    xhr.onerror = () => reject(new NetworkError('upload failed'));
    xhr.send(file);
  });
}

export const removeArchive = (token: string, lang: Locale) => call<void>(archiveUrl(token, lang), { method: 'DELETE' });

/** "2,4 Mo" / "2.4 MB" */
export function megabytes(bytes: number, lang: Locale): string {
  const mb = bytes / 1_000_000;
  const text = mb.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: mb < 10 ? 1 : 0 });
  return lang === 'fr' ? `${text} Mo` : `${text} MB`;
}
