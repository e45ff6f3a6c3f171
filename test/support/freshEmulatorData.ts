/**
 * Runs after every emulator test file: the Firestore emulator's data is cleared, so each file starts
 * from an empty database. Why: the emulator answers listCollections, collection-group queries and
 * unindexed scans by walking every document it holds, so a file late in the run paid for every earlier
 * file's data (the hostile fuzz took 391 s in the full suite and 79 s alone). Files never share data
 * (each makes its own users and shows), and the emulator project runs one file at a time
 * (`maxWorkers: 1` in jest.config.js), so clearing between files is safe.
 */
afterAll(async () => {
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  const project = process.env.GCLOUD_PROJECT;
  if (!host || !project) return;
  const response = await fetch(`http://${host}/emulator/v1/projects/${project}/databases/(default)/documents`, { method: "DELETE" });
  if (!response.ok) throw new Error(`clearing the Firestore emulator failed: HTTP ${response.status}`);
});
