/** Keyboard shortcuts and their sheet. */
const shortcuts = {} as const;

export default shortcuts;
