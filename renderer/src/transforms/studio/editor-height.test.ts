import { describe, expect, it } from 'vitest';
import { initialEditorHeight } from './editor-height.js';

describe('initialEditorHeight', () => {
  it('keeps 340 px in a tall window and gives a short one 40 % of its height, never under 200 px', () => {
    expect(initialEditorHeight(900)).toBe(340);
    expect(initialEditorHeight(700)).toBe(280);
    expect(initialEditorHeight(300)).toBe(200);
  });
});
