import { usageError } from '../cli-error.js';

/** Validate --url / COURSE_CLI_URL and drop a trailing slash. */
export function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`--url ${JSON.stringify(raw)} is not a URL (example: http://127.0.0.1:8000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--url must be http:// or https://, not ${url.protocol}`);
  }
  if (url.search || url.hash) throw usageError('--url must not have a query or fragment');
  return url.toString().replace(/\/+$/, '');
}
