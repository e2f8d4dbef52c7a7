import type { Dispatcher } from 'undici';

export interface JsonRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface JsonResponse<T = unknown> {
  readonly statusCode: number;
  /** the parsed JSON; the text when it is not JSON; null when empty */
  readonly body: T;
}

export class DispatchTimeoutError extends Error {
  override name = 'DispatchTimeoutError';
}

/**
 * One HTTP request through undici's dispatch API, the body gathered straight into Buffers: no
 * Readable stream and no AbortController per call, which cost more than the call itself on a hot
 * path (bench:transport). The deadline is our own timer, since undici's are coarse (about 1 s).
 */
export function dispatchJson<T = unknown>(
  dispatcher: Dispatcher,
  req: JsonRequest,
  timeoutMs: number,
): Promise<JsonResponse<T>> {
  return new Promise<JsonResponse<T>>((resolve, reject) => {
    let statusCode = 0;
    let chunks: Buffer[] = [];
    let controller: Dispatcher.DispatchController | null = null;
    let settled = false;
    const settle = (err: Error | null, res?: JsonResponse<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(res!);
    };
    const timer = setTimeout(() => {
      const err = new DispatchTimeoutError(`no answer within ${timeoutMs} ms`);
      controller?.abort(err);
      settle(err);
    }, timeoutMs);
    dispatcher.dispatch(
      {
        method: req.method,
        path: req.path,
        headers: req.headers,
        body: req.body,
        // A GET lets the next GET follow it on the connection before its answer is back (HTTP
        // pipelining, where the pool allows it). undici never pipelines a write: not idempotent.
        blocking: req.method !== 'GET',
      },
      {
        onRequestStart(c) {
          controller = c;
          if (settled) c.abort(new DispatchTimeoutError(`no answer within ${timeoutMs} ms`));
        },
        onResponseStart(_c, status) {
          statusCode = status;
          chunks = [];
        },
        onResponseData(_c, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          settle(null, { statusCode, body: parseBody(text) as T });
        },
        onResponseError(_c, err) {
          settle(err);
        },
      },
    );
  });
}

function parseBody(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
