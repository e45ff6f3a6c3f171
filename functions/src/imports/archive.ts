import yauzl from "yauzl";
import { ImportFileError } from "./errors";

/** The most an import may decompress to, all entries together (docs/API.md: imports: files up to 50 MB). */
export const MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024;
const MAX_ENTRIES = 2000;

export interface ArchiveEntry {
  name: string;
  data: Buffer;
}

export const isZip = (bytes: Buffer) => bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;

/**
 * The files of a ZIP, decompressed, keeping only those `wanted` (by entry name) so a GDPR export's
 * dozens of unrelated files cost nothing. The total is bounded while streaming: a ZIP bomb fails
 * (`too-large`) as soon as it passes the limit, whatever its headers claim. yauzl also checks each
 * entry's declared size against what it inflates to.
 */
export async function readZip(
  file: string,
  bytes: Buffer,
  wanted: (name: string) => boolean,
  limit = MAX_DECOMPRESSED_BYTES,
): Promise<ArchiveEntry[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (error, opened) =>
      error || !opened ? reject(corrupt(file, error)) : resolve(opened),
    ),
  );
  const entries: ArchiveEntry[] = [];
  let total = 0;
  let count = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", (error: Error) => reject(corrupt(file, error)));
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        if (++count > MAX_ENTRIES) return reject(new ImportFileError("too-large", file, `more than ${MAX_ENTRIES} files in the archive`));
        if (entry.fileName.endsWith("/") || !wanted(entry.fileName)) return zip.readEntry();
        if (total + entry.uncompressedSize > limit) return reject(tooLarge(file, limit));
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return reject(corrupt(file, error));
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => {
            total += chunk.length;
            if (total > limit) {
              stream.destroy();
              reject(tooLarge(file, limit));
              return;
            }
            chunks.push(chunk);
          });
          stream.on("error", (streamError) => reject(corrupt(file, streamError)));
          stream.on("end", () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return entries;
}

const corrupt = (file: string, error: unknown) =>
  new ImportFileError(
    "corrupt-zip",
    file,
    `not a readable ZIP archive (${error instanceof Error ? error.message.slice(0, 120) : "unknown error"})`,
  );
const tooLarge = (file: string, limit: number) =>
  new ImportFileError("too-large", file, `decompresses to more than ${Math.round(limit / 1024 / 1024)} MB`);
