/** Ingesting files and rows: drop zone, mapping, progress, results. */
const ingest = {} as const;

export default ingest;
