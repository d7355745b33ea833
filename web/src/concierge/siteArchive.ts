// Sending a ZIP of the customer's own site (raw body, as the API expects) with upload progress, and taking it back.
import type { ArchiveUploaded } from '@contract/site.ts';
import { NetworkError, answerOf, apiErrorOf, call, urlOf } from '../api.ts';
import type { Locale } from '../i18n.ts';

const UPLOAD = 'POST /api/concierge/status/:token/archive';

/**
 * POST the file itself as the body (the server refuses a multipart form); XMLHttpRequest rather
 * than fetch because only it reports upload progress. The refusal comes back as an ApiError whose
 * message is the server's reason, in `lang`.
 */
export function uploadArchive(token: string, file: File, lang: Locale, onProgress: (fraction: number) => void): Promise<ArchiveUploaded> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', urlOf(UPLOAD, { params: { token }, lang }));
    xhr.setRequestHeader('content-type', 'application/zip');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(answerOf(UPLOAD, xhr.responseText));
      else reject(apiErrorOf(xhr.status, xhr.statusText, xhr.responseText));
    };
    xhr.onerror = () => reject(new NetworkError('upload failed'));
    xhr.send(file);
  });
}

export const removeArchive = (token: string, lang: Locale) => call('DELETE /api/concierge/status/:token/archive', { params: { token }, lang });

/** "2,4 Mo" / "2.4 MB" */
export function megabytes(bytes: number, lang: Locale): string {
  const mb = bytes / 1_000_000;
  const text = mb.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: mb < 10 ? 1 : 0 });
  return lang === 'fr' ? `${text} Mo` : `${text} MB`;
}
