import yazl from 'yazl';

export type ZipEntry = { name: string; data: string | Buffer; mode?: number; compress?: boolean };

/** Builds a zip in memory with yazl. */
export function zip(entries: ZipEntry[]): Promise<Buffer> {
  const file = new yazl.ZipFile();
  for (const e of entries) file.addBuffer(Buffer.from(e.data), e.name, { mode: e.mode, compress: e.compress ?? true });
  file.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.outputStream.on('data', (c: Buffer) => chunks.push(c));
    file.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    file.outputStream.on('error', reject);
  });
}
