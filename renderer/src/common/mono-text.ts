/** `sx` for identifiers (names, types, versions) so they read as code. */
export const MONO_SX = {
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  fontSize: 13,
} as const;
