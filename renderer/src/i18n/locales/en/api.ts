/** Connecting to the service: API keys, errors the UI frames. */
const api = {} as const;

export default api;
