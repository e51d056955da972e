/** Vite's `?worker` imports (renderer/tsconfig.json loads no `vite/client` types, to keep Node out). */
declare module '*?worker' {
  const WorkerConstructor: new (options?: { name?: string }) => Worker;
  export default WorkerConstructor;
}
