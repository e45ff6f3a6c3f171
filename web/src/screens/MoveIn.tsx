import { useState } from "preact/hooks";
import { limit, orderBy, query } from "firebase/firestore";
import { MAX_IMPORT_BYTES, type ImportCounts, type ImportStatus, type ImportUnmatched } from "@tvtracker/client";
import { errorText } from "../firebase";
import { profileArg, useCollection, useDocument, useSession } from "../data";
import { ProgressBar } from "../ui/Progress";

/** `users/{id}/imports/{importId}` as the listener sees it (CONTRACT §6). */
interface ImportDoc {
  fileName: string;
  status: ImportStatus;
  progress?: { processed: number; total: number };
  counts?: ImportCounts;
  unmatched?: ImportUnmatched[];
  error?: { code: string; message: string } | null;
}

const MB = 1024 * 1024;
const formatMb = (bytes: number) => `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;

/** One part of the file as base64, as `uploadImportPart` takes it. */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("could not read the file"));
    reader.readAsDataURL(blob);
  });
}

/**
 * Moving in: drop a TV Time or Trakt export (the ZIP, or one file of it). The file goes up in parts
 * (createImport → uploadImportPart → startImport) and the import runs in the background; its document
 * drives the progress bar live.
 */
export function MoveIn() {
  const session = useSession();
  const [importId, setImportId] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ sent: number; parts: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const current = useDocument<ImportDoc>(importId ? ["users", session.profileId, "imports", importId] : null);
  const earlier = useCollection<ImportDoc>(["users", session.profileId, "imports"], (q) =>
    query(q, orderBy("createdAt", "desc"), limit(5)),
  );

  const start = async (file: File) => {
    setError(null);
    setImportId(null);
    setUpload(null);
    if (file.size > MAX_IMPORT_BYTES) {
      setError(
        `${file.name} is ${formatMb(file.size)}: an export file can be ${formatMb(MAX_IMPORT_BYTES)} at most. Nothing was imported.`,
      );
      return;
    }
    if (file.size === 0) {
      setError(`${file.name} is empty. Nothing was imported.`);
      return;
    }
    try {
      const api = await session.backend.api();
      const { importId: id, partBytes } = await api.createImport({ fileName: file.name, sizeBytes: file.size, ...profileArg(session) });
      const parts = Math.ceil(file.size / partBytes);
      setUpload({ sent: 0, parts });
      for (let index = 0; index < parts; index++) {
        const data = await base64Of(file.slice(index * partBytes, (index + 1) * partBytes));
        await api.uploadImportPart({ importId: id, index, data, ...profileArg(session) });
        setUpload({ sent: index + 1, parts });
      }
      setImportId(id);
      await api.startImport({ importId: id, parts, ...profileArg(session) });
    } catch (e) {
      setError(`${file.name}: ${errorText(e)}. Nothing was imported.`);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer?.files[0];
    if (file) void start(file);
  };
  const job = current.data ?? null;

  return (
    <section aria-labelledby="movein-title">
      <h1 id="movein-title">Move in</h1>
      <p>
        Bring your history from <strong>TV Time</strong> (the GDPR export ZIP, or its <code>seen_episode.csv</code>) or{" "}
        <strong>Trakt</strong> (the data export ZIP, or <code>watched-history.json</code>). Up to {formatMb(MAX_IMPORT_BYTES)}; importing
        the same file twice adds nothing.
      </p>
      <label
        class={dragging ? "dropzone dragging" : "dropzone"}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        Drop your export file here, or choose it
        <input
          type="file"
          accept=".zip,.csv,.json"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void start(file);
            e.currentTarget.value = "";
          }}
        />
      </label>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {upload && !job ? (
        <p>
          Uploading <ProgressBar value={upload.sent} max={upload.parts} label="Upload" /> {upload.sent}/{upload.parts} parts
        </p>
      ) : null}
      {job ? <ImportState job={job} /> : null}
      {earlier.data?.length ? (
        <>
          <h2>Earlier imports</h2>
          <ul class="plain">
            {earlier.data.map(([id, item]) => (
              <li key={id}>
                {item.fileName}: {item.status}
                {item.counts ? `, ${item.counts.added} plays added, ${item.counts.duplicates} duplicates` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function ImportState({ job }: { job: ImportDoc }) {
  const processed = job.progress?.processed ?? 0;
  const total = job.progress?.total ?? 0;
  return (
    <div class="import" data-testid="import" data-status={job.status}>
      <h2>{job.fileName}</h2>
      <p>
        <ProgressBar value={job.status === "done" ? 1 : processed} max={job.status === "done" ? 1 : total} label="Import progress" />{" "}
        <span role="status">
          {job.status === "done"
            ? "Done"
            : job.status === "failed"
              ? "Failed"
              : job.status === "running"
                ? "Importing"
                : "Waiting to start"}
          {total ? ` · ${processed}/${total} rows` : ""}
        </span>
      </p>
      {job.status === "failed" && job.error ? (
        <p role="alert" class="error">
          {job.error.message}. Nothing was imported.
        </p>
      ) : null}
      {job.counts && job.status !== "failed" ? (
        <p data-testid="import-counts">
          {job.counts.added} plays added, {job.counts.duplicates} duplicates, {job.counts.shows} shows, {job.counts.movies} movies,{" "}
          {job.counts.unmatched} not matched
        </p>
      ) : null}
      {job.status === "done" ? (
        <p>
          <a href="/">Open your library</a>
        </p>
      ) : null}
      {job.unmatched?.length ? (
        <>
          <h3>Not matched</h3>
          <ul class="plain" aria-label="Not matched">
            {job.unmatched.map((item) => (
              <li>
                {item.title}: <span class="muted">{item.reason}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
