/** Monitoring: quality, drift, latency, freshness, coverage, alerts and rules. */
const monitoring = {} as const;

export default monitoring;
