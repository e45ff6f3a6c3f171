/**
 * Why a file cannot be imported at all. The import ends `failed` with `error: { code, message }`,
 * the message naming the file (and the column when one is missing), and nothing is applied.
 */
export type ImportErrorCode =
  "unsupported-file" | "corrupt-zip" | "too-large" | "missing-column" | "invalid-json" | "invalid-csv" | "empty-file";

export class ImportFileError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    readonly file: string,
    message: string,
    readonly column?: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "ImportFileError";
  }
}

export const missingColumn = (file: string, column: string) =>
  new ImportFileError("missing-column", file, `missing required column "${column}"`, column);
