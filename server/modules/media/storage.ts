import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { AwsClient } from 'aws4fetch';

/** Where photo variants are kept. Keys are relative paths like `media/ab/<id>-v1-display.jpg`. */
export interface Storage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
}

/** Local disk under the data directory (the default). Writes go to a temp file first, then rename. */
export function createDiskStorage(root: string): Storage {
  const pathOf = (key: string) => {
    const path = normalize(join(root, key));
    if (!path.startsWith(normalize(root))) throw new Error(`storage key escapes the root: ${key}`);
    return path;
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}.tmp`, body);
      await rename(`${path}.tmp`, path);
    },
    get: (key) => readFile(pathOf(key)),
    remove: (key) => rm(pathOf(key), { force: true }),
  };
}

export interface S3Options {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * An S3-compatible object store (Tencent COS, Alibaba OSS, MinIO, AWS) for production, signing requests
 * with AWS SigV4 (aws4fetch). Path-style URLs: `{endpoint}/{bucket}/{key}`. Kept thin: it cannot be
 * exercised here, so it does exactly put, get and delete.
 */
export function createS3Storage(opts: S3Options): Storage {
  const client = new AwsClient({
    accessKeyId: opts.accessKeyId,
    secretAccessKey: opts.secretAccessKey,
    service: 's3',
    region: opts.region,
  });
  const url = (key: string) =>
    `${opts.endpoint.replace(/\/+$/, '')}/${opts.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  async function call(method: string, key: string, body?: Buffer, contentType?: string): Promise<Response> {
    const response = await client.fetch(url(key), {
      method,
      body,
      headers: contentType ? { 'content-type': contentType } : undefined,
    });
    if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
      throw new Error(`S3 ${method} ${key} failed: HTTP ${response.status}`);
    }
    return response;
  }
  return {
    async put(key, body, contentType) {
      await call('PUT', key, body, contentType);
    },
    async get(key) {
      return Buffer.from(await (await call('GET', key)).arrayBuffer());
    },
    async remove(key) {
      await call('DELETE', key);
    },
  };
}
