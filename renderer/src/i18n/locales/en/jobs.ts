/** Jobs: list, detail, logs, progress. */
const jobs = {} as const;

export default jobs;
