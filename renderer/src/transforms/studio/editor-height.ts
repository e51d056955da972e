/** Heights of the studio's code editor, in px. */
export const EDITOR_HEIGHT = { min: 160, initial: 340, max: 1200 } as const;

/** The editor's first height: 340 px, less in a short window so the results header shows under it. */
export function initialEditorHeight(windowHeight: number): number {
  return Math.round(Math.min(EDITOR_HEIGHT.initial, Math.max(EDITOR_HEIGHT.min + 40, windowHeight * 0.4)));
}
