/** Data sources and saved connections. */
const dataSources = {} as const;

export default dataSources;
